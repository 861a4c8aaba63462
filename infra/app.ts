// CDK entry point: `npx cdk synth -c country=NL [-c stage=prod]` builds that country's stack set and
// checks it with cdk-nag's AwsSolutions pack (v3: a policy validation plugin, not an Aspect).
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from './config.js';
import { addNagChecks } from './constructs/nag.js';
import { buildClearway } from './stacks/clearway.js';

const app = new App();
try {
  buildClearway(app, loadConfig({ node: app.node }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`clearway: ${error.message}`);
  process.exit(1);
}
addNagChecks(app);
app.synth();
