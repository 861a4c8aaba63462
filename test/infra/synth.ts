// Synthesizes a country's stack set once per test file (per country, stage and options) and hands the
// templates, the cdk-nag findings and the acknowledgements to the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig, type StageConfig } from '../../infra/config.js';
import {
  addNagChecks,
  type NagAcknowledgement,
  type NagFinding,
  nagAcknowledgements,
  nagFindings,
} from '../../infra/constructs/nag.js';
import { buildClearway, type ClearwayStacks } from '../../infra/stacks/clearway.js';
import type { Route } from '../../shared/http/routes/index.js';

export interface SynthOptions {
  country: string;
  stage?: string;
  /**
   * Run esbuild for every function. Template assertions do not need the bundles, so only the bundling
   * test pays for them; without it NodejsFunction still checks that each entry exists.
   */
  bundle?: boolean;
  routes?: readonly Route[];
  context?: Record<string, unknown>;
}

export interface Synthesized extends ClearwayStacks {
  app: App;
  config: StageConfig;
  templates: { stateful: Template; stateless: Template };
  assemblyDirectory: string;
  /** Unacknowledged AwsSolutions findings, errors and warnings alike. */
  findings: NagFinding[];
  acknowledgements: NagAcknowledgement[];
  /** CDK's own annotations (errors, warnings, info) per stack, as the cloud assembly records them. */
  messages: { stateful: StackMessage[]; stateless: StackMessage[] };
}

export interface StackMessage {
  level: string;
  id: string;
  entry: unknown;
}

const cache = new Map<string, Synthesized>();

export const synthesize = (options: SynthOptions): Synthesized => {
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached) return cached;

  const outdir = mkdtempSync(join(tmpdir(), 'clearway-infra-'));
  const app = new App({
    outdir,
    context: {
      country: options.country,
      stage: options.stage ?? 'dev',
      // Report nag findings in validation-report.json instead of throwing, so a test can list them.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  // No CDK_DEFAULT_* here: the templates must not depend on the shell that runs the tests.
  const config = loadConfig({ node: app.node, env: {} });
  const stacks = buildClearway(app, config, options.routes ? { routes: options.routes } : {});
  addNagChecks(app);
  const assembly = app.synth();
  const template = (stackName: string) => Template.fromJSON(assembly.getStackByName(stackName).template);
  const messages = (stackName: string): StackMessage[] =>
    assembly.getStackByName(stackName).messages.map(({ level, id, entry }) => ({ level, id, entry }));

  const synthesized: Synthesized = {
    ...stacks,
    app,
    config,
    templates: {
      stateful: template(stacks.stateful.stackName),
      stateless: template(stacks.stateless.stackName),
    },
    assemblyDirectory: assembly.directory,
    findings: nagFindings(assembly.directory),
    acknowledgements: nagAcknowledgements(app),
    messages: {
      stateful: messages(stacks.stateful.stackName),
      stateless: messages(stacks.stateless.stackName),
    },
  };
  cache.set(key, synthesized);
  return synthesized;
};

/** Removes the cloud assemblies this file synthesized (call from afterAll). */
export const disposeSyntheses = (): void => {
  for (const synthesized of cache.values())
    rmSync(synthesized.assemblyDirectory, { recursive: true, force: true });
  cache.clear();
};
