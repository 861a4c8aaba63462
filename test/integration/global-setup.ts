// Global setup of the integration project: one DynamoDB Local (in memory), one SQS server and one
// event bus for the whole run, the topology's tables and queues created once under a unique prefix,
// and everything a test needs to reach them handed over with `provide` (read it with `inject` through
// test/integration/support.ts).
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import {
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
  type TableNames,
} from '../../infra/local/dynamodb.js';
import { type LocalEventBus, startEventBus, topologyRules } from '../../infra/local/event-bus.js';
import {
  type LocalSecrets,
  newStackSecret,
  stackSecretName,
  startSecretsServer,
  webhookKeyAlias,
} from '../../infra/local/secrets.js';
import { createQueues, type LocalSqsServer, type QueueUrls, startSqsServer } from '../../infra/local/sqs.js';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../../infra/local/util.js';
import { resourcePrefix } from '../../shared/topology.js';

export interface LocalAwsContext {
  region: string;
  accountId: string;
  country: string;
  stage: string;
  /** `clearway-<country>-<stage>`: every shared table and queue name starts with it. */
  prefix: string;
  endpoints: { dynamodb: string; sqs: string; eventBridge: string; secretsManager: string };
  /** The stack secret's name on `endpoints.secretsManager`, and its value (tests derive ids from it). */
  stackSecretId: string;
  stackSecret: string;
  /** The alias of the key sealing webhook secrets, on the same endpoint (it also answers KMS). */
  webhookKeyId: string;
  /** The topology's tables, created once for the run. */
  tables: TableNames;
  /** The topology's queues (and DLQs), created once for the run; the bus's rules target them. */
  queues: QueueUrls;
  /** The bus at `endpoints.eventBridge`, with the topology's rules. */
  busName: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localAws: LocalAwsContext;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const country = 'NL';
  const stage = `it${randomBytes(3).toString('hex')}`;
  const prefix = resourcePrefix(country, stage);
  const region = LOCAL_REGION;

  let dynamodb: DynamoDbLocal | undefined;
  let sqs: LocalSqsServer | undefined;
  let bus: LocalEventBus | undefined;
  let secrets: LocalSecrets | undefined;
  const teardown = async () => {
    await secrets?.stop();
    await bus?.stop();
    await sqs?.stop();
    await dynamodb?.stop();
  };

  try {
    const dynamodbStarting = startDynamoDbLocal({ dataDir: 'memory', region });
    sqs = await startSqsServer({ region });
    const queues = await createQueues(sqs.client, prefix);
    const stackSecretId = stackSecretName(prefix);
    const stackSecret = newStackSecret();
    const webhookKeyId = webhookKeyAlias(prefix);
    secrets = await startSecretsServer({
      secrets: { [stackSecretId]: stackSecret },
      kmsKeys: { [webhookKeyId]: stackSecret },
      region,
    });
    const busName = `${prefix}-bus`;
    bus = await startEventBus({ busName, rules: topologyRules(country, queues), sqs: sqs.client, region });
    dynamodb = await dynamodbStarting;
    const tables = await createTables(dynamodb.client, prefix);

    project.provide('localAws', {
      region,
      accountId: LOCAL_ACCOUNT_ID,
      country,
      stage,
      prefix,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        sqs: sqs.endpoint,
        eventBridge: bus.endpoint,
        secretsManager: secrets.endpoint,
      },
      stackSecretId,
      stackSecret,
      webhookKeyId,
      tables,
      queues,
      busName,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
