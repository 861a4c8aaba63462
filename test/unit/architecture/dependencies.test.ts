// package.json says what the code needs: what the Lambda bundles and the CLI load at run time is in
// `dependencies`, everything else (build, local runtime, tests, the console's compiled libraries) in
// `devDependencies`, and nothing is listed that no code or script uses.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });

const IMPORT =
  /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The packages a file imports (values only when `valuesOnly`), by package name. */
const packagesOf = (file: string, valuesOnly: boolean): string[] =>
  [...readFileSync(join(root, file), 'utf8').matchAll(IMPORT)].flatMap((match) => {
    const spec = match[3] ?? match[4] ?? '';
    if (valuesOnly && match[2]) return [];
    if (spec.startsWith('.') || spec.startsWith('#') || spec.startsWith('node:')) return [];
    const parts = spec.split('/');
    return [spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec)];
  });

/** Files whose imports run in a Lambda bundle or in the `clearway` command. */
const runtimeFiles = [
  ...sourceFiles('shared'),
  ...sourceFiles('functions'),
  ...sourceFiles('cli'),
  'bin/clearway.js',
];
const allFiles = [
  ...runtimeFiles,
  ...['infra', 'console', 'bench', 'scripts', 'test'].flatMap(sourceFiles),
  'vitest.config.ts',
];

/** Tools run by name (scripts, CI) or read by the compiler, not imported. */
const TOOLS = new Set(['@biomejs/biome', 'aws-cdk', 'typescript', 'vite']);
/** Packages some code reads files from rather than imports (copied into a bundle at build time). */
const FILE_PACKAGES = new Set(['swagger-ui-dist']);

describe('package.json', () => {
  it('lists every package the Lambda functions and the CLI import at run time under dependencies', () => {
    const needed = new Set(runtimeFiles.flatMap((file) => packagesOf(file, true)));
    const missing = [...needed].filter((name) => manifest.dependencies[name] === undefined).sort();
    expect(missing).toEqual([]);
  });

  it('lists nothing under dependencies that run time does not need', () => {
    const needed = new Set([...runtimeFiles.flatMap((file) => packagesOf(file, true)), ...FILE_PACKAGES]);
    const extra = Object.keys(manifest.dependencies).filter((name) => !needed.has(name));
    expect(extra).toEqual([]);
  });

  it('lists no package that nothing imports or runs', () => {
    const imported = new Set(allFiles.flatMap((file) => packagesOf(file, false)));
    const unused = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => {
      if (imported.has(name) || TOOLS.has(name) || FILE_PACKAGES.has(name)) return false;
      // Type packages are used through the package they describe (`@types/aws-lambda` for 'aws-lambda').
      const described = name.startsWith('@types/')
        ? name.slice('@types/'.length).replace('__', '/')
        : undefined;
      if (described && (imported.has(described) || described === 'node' || imported.has(`@${described}`)))
        return false;
      return true;
    });
    expect(unused).toEqual([]);
  });
});
