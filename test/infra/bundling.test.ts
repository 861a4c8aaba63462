import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names } from '../../infra/config.js';
import { ESM_REQUIRE_BANNER } from '../../infra/constructs/clearway-function.js';
import { type LocalSecrets, newStackSecret, startSecretsServer } from '../../infra/local/secrets.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/util.js';
import { type FunctionName, functions, STACK_SECRET_ENV } from '../../shared/topology.js';
import { resourceBy } from './lookup.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

const functionNames = Object.keys(functions) as FunctionName[];
const n = names({ country: 'NL', stage: 'dev' });
/** Far below Lambda's 250 MB unzipped limit; a jump past it means a dependency slipped in by mistake. */
const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

describe('function bundles (NL, dev)', () => {
  let nl: Synthesized;

  const bundleOf = (name: FunctionName) => {
    const [, fn] = resourceBy(
      nl.templates.stateless,
      'AWS::Lambda::Function',
      'FunctionName',
      n.function(name),
    );
    const key = (fn.Properties.Code as { S3Key: string }).S3Key;
    const directory = join(nl.assemblyDirectory, `asset.${key.replace(/\.zip$/, '')}`);
    const environment = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    return { directory, file: join(directory, 'index.mjs'), environment };
  };

  beforeAll(() => {
    nl = synthesize({ country: 'NL', bundle: true });
  });
  afterAll(disposeSyntheses);

  it.each(functionNames)('bundles %s as a minified ESM module with a linked source map', (name) => {
    // Act
    const { directory, file } = bundleOf(name);
    const code = readFileSync(file, 'utf8');

    // Assess
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.mjs.map')).toBe(true);
    expect(existsSync(join(directory, 'index.mjs.map'))).toBe(true);
    expect(statSync(file).size).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it.each(functionNames)('bundles the AWS SDK and every other dependency into %s', (name) => {
    // Prepare
    const code = readFileSync(bundleOf(name).file, 'utf8');

    // Act: the module's own import statements (esbuild hoists them), and dynamic imports anywhere.
    const staticImports = [
      ...code.matchAll(/(?:^|[;}])\s*import\s*(?:[\w*{$][^;]*?from\s*)?["']([^"']+)["']/g),
    ];
    const dynamicImports = [...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)];
    const specifiers = [...staticImports, ...dynamicImports].map((match) => match[1] ?? '');

    // Assess: only Node.js built-ins stay outside the bundle.
    expect(specifiers.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
  });

  it.each(functionNames)('loads the %s bundle under Node.js and exports a handler', async (name) => {
    // Prepare: the bundle reads its configuration at load time, as on Lambda. It sits in a temporary
    // folder with no node_modules above it, so it loads only if it is self-contained.
    const { file, environment } = bundleOf(name);
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1' };
    // A value CloudFormation resolves at deploy time stands in as a name, or as a URL where one is expected.
    for (const [key, value] of Object.entries(environment))
      env[key] =
        typeof value === 'string'
          ? value
          : /(_URL|_DOMAIN)$/.test(key)
            ? `https://${key.toLowerCase().replaceAll('_', '-')}.example`
            : `test-${key}`;
    // A function that reads the stack secret at cold start reads it from a stand-in Secrets Manager.
    let secrets: LocalSecrets | undefined;
    const secretId = env[STACK_SECRET_ENV];
    if (secretId) {
      secrets = await startSecretsServer({ secrets: { [secretId]: newStackSecret() }, region: 'eu-west-1' });
      env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
      env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    }

    // Act
    const { stdout: output } = await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
      ],
      { env, encoding: 'utf8' },
    ).finally(() => secrets?.stop());

    // Assess
    expect(output.trim().split('\n').at(-1)).toBe('function');
  });

  const withRuntimeFiles = functionNames.flatMap((name) =>
    (functions[name].runtimeFiles ?? []).map((pkg) => [name, pkg] as const),
  );
  it.runIf(withRuntimeFiles.length > 0).each(withRuntimeFiles)(
    'ships %s with the files of %s next to the bundle, where createRequire finds them',
    (name, pkg) => {
      // Prepare
      const { file, directory } = bundleOf(name);

      // Act
      const resolved = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module'; console.log(createRequire(${JSON.stringify(file)}).resolve('${pkg}/package.json'));`,
        ],
        { encoding: 'utf8' },
      ).trim();

      // Assess
      expect(resolved).toBe(join(directory, 'node_modules', pkg, 'package.json'));
    },
  );

  it.runIf('intake' in functions)('inlines the HS 2022 data that the intake function imports as JSON', () => {
    const code = readFileSync(bundleOf('intake').file, 'utf8');
    expect(code).toContain('010121');
  });
});
