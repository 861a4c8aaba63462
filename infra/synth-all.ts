// `npm run synth:all [-- --stage prod]`: synthesizes every shipped country's stack set into one cloud
// assembly (cdk.out/all/<stage>), checks it with cdk-nag and reports per country. Exits 1 if any fails.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, parseStage } from './config.js';
import { synthesizeAllCountries } from './stacks/all-countries.js';

const { values } = parseArgs({ options: { stage: { type: 'string', default: 'dev' } } });
const stage = parseStage(values.stage);
const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
  context?: Record<string, unknown>;
};
const outdir = join(PROJECT_ROOT, 'cdk.out', 'all', stage);
const started = Date.now();

const outcomes = synthesizeAllCountries({
  stage,
  outdir,
  ...(cdkJson.context ? { context: cdkJson.context } : {}),
});
for (const { country, stacks, problems } of outcomes) {
  console.log(
    problems.length === 0
      ? `ok   ${country}  ${stacks.join(', ')}`
      : `FAIL ${country}  ${problems.join('\n       ')}`,
  );
}
const failed = outcomes.filter((outcome) => outcome.problems.length > 0);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(
  failed.length === 0
    ? `All ${outcomes.length} countries (${stage}) synthesized to ${outdir} with no unacknowledged cdk-nag finding in ${seconds} s.`
    : `${failed.length} of ${outcomes.length} countries failed: ${failed.map((outcome) => outcome.country).join(', ')}`,
);
process.exitCode = failed.length === 0 ? 0 : 1;
