// One country's stack set: the stateful stack and the stateless stack built on its typed resources.
import { type App, Tags } from 'aws-cdk-lib';
import type { Route } from '../../shared/http/routes/index.js';
import { names, type StageConfig } from '../config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

export interface ClearwayStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export interface BuildOptions {
  /** HTTP routes instead of `topology.routes` (tests of route kinds the topology has not got yet). */
  routes?: readonly Route[];
}

export const buildClearway = (app: App, config: StageConfig, options: BuildOptions = {}): ClearwayStacks => {
  const n = names(config);
  const env = { account: config.account, region: config.region };
  const stateful = new StatefulStack(app, n.stack('stateful'), {
    stackName: n.stack('stateful'),
    description: `Clearway ${config.country} (${config.stage}): tables, queues, event bus, user pool`,
    env,
    terminationProtection: config.protected,
    config,
  });
  const stateless = new StatelessStack(app, n.stack('stateless'), {
    stackName: n.stack('stateless'),
    description: `Clearway ${config.country} (${config.stage}): functions, HTTP API, bus rules, alarms`,
    env,
    terminationProtection: config.protected,
    config,
    stateful: stateful.resources,
    ...(options.routes ? { routes: options.routes } : {}),
  });
  stateless.addStackDependency(
    stateful,
    'Functions, rules and the API use the tables, queues, bus and user pool',
  );
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'clearway');
    Tags.of(stack).add('country', config.country);
    Tags.of(stack).add('stage', config.stage);
  }
  return { stateful, stateless };
};
