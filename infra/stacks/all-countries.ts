// Every shipped country's stack set in one app and one cloud assembly, checked by cdk-nag, with the
// outcome per country. One app means each function is bundled once and its asset shared by all.
import { App } from 'aws-cdk-lib';
import { resourcePrefix } from '../../shared/topology.js';
import { COUNTRIES, type Country, loadConfig } from '../config.js';
import { addNagChecks, nagFindings } from '../constructs/nag.js';
import { buildClearway } from './clearway.js';

export interface CountryOutcome {
  country: Country;
  stacks: string[];
  /** Construction errors and unacknowledged cdk-nag findings; empty when the country is fine. */
  problems: string[];
}

export interface AllCountriesOptions {
  stage: string;
  outdir: string;
  /** Extra context (cdk.json's, or a test's); `country` is set per country. */
  context?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

export const synthesizeAllCountries = (options: AllCountriesOptions): CountryOutcome[] => {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...options.context,
      stage: options.stage,
      // Findings are read back and reported per country instead of aborting the whole run.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const outcomes = COUNTRIES.map((country): CountryOutcome => {
    try {
      // The app's context with this country, so per-country entries such as `platforms` apply.
      const node = {
        tryGetContext: (key: string) => (key === 'country' ? country : app.node.tryGetContext(key)),
      };
      const { stateful, stateless } = buildClearway(
        app,
        loadConfig({ node, ...(options.env ? { env: options.env } : {}) }),
      );
      return { country, stacks: [stateful.stackName, stateless.stackName], problems: [] };
    } catch (error) {
      return { country, stacks: [], problems: [error instanceof Error ? error.message : String(error)] };
    }
  });
  addNagChecks(app);
  const findings = nagFindings(app.synth().directory);
  for (const outcome of outcomes) {
    const prefix = `${resourcePrefix(outcome.country, options.stage)}-`;
    for (const finding of findings.filter((candidate) => candidate.path.startsWith(prefix))) {
      outcome.problems.push(`${finding.severity} ${finding.rule} at ${finding.path}`);
    }
  }
  return outcomes;
};
