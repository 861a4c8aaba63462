// Stateful resources of one country and stage: tables, queues with their dead-letter queues, the event
// bus with its archive, and the user pool. Everything that holds data lives here, so the stateless
// stack can be replaced freely.
import { ArnFormat, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { eventSource } from '../../shared/domain/events.js';
import {
  busRules,
  type QueueName,
  queues,
  type TableName,
  tables,
  visibilityTimeoutSeconds,
} from '../../shared/topology.js';
import { names, PROJECT_ROOT, pascal, type StageConfig } from '../config.js';
import { MachineAuth } from '../constructs/machine-auth.js';

/** Retention of messages that exhausted their receives: long enough for a redrive after a holiday. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface QueuePair {
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
}

/** What the stateless stack needs from this one; typed, so wiring mistakes fail at compile time. */
export interface StatefulResources {
  /**
   * Tables addressed by their derived names (ARN from the name, encryption key and indexes attached), so
   * grants in the stateless stack name the table itself rather than an opaque CloudFormation export.
   */
  tables: Record<TableName, dynamodb.ITable>;
  queues: Record<QueueName, QueuePair>;
  bus: events.IEventBus;
  /** The stack's secret: keys for declaration ids and cursor seals. */
  stackSecret: secretsmanager.ISecret;
  /** Seals webhook secrets: the webhooks function encrypts with it, the notify function decrypts. */
  webhookKey: kms.IKey;
  auth: {
    userPool: cognito.IUserPool;
    /** App client ids: the JWT audience. */
    clientIds: string[];
    issuer: string;
    tokenUrl: string;
    /** Base URL of the hosted UI (staff sign-in). */
    hostedUiUrl: string;
  };
}

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly resources: StatefulResources;
  readonly tables: Record<TableName, dynamodb.Table>;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const n = names(config);

    const tableEntries = (Object.keys(tables) as TableName[]).map((name) => {
      const spec = tables[name];
      const key = spec.sensitive
        ? new kms.Key(this, `${pascal(name)}TableKey`, {
            alias: n.keyAlias(`${name}-table`),
            description: `Encrypts the ${n.table(name)} table`,
            enableKeyRotation: true,
            pendingWindow: Duration.days(config.protected ? 30 : 7),
            removalPolicy: config.removalPolicy,
          })
        : undefined;
      const table = new dynamodb.Table(this, `${pascal(name)}Table`, {
        tableName: n.table(name),
        partitionKey: { name: spec.partitionKey, type: dynamodb.AttributeType.STRING },
        ...(spec.sortKey ? { sortKey: { name: spec.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: config.deletionProtection,
        removalPolicy: config.removalPolicy,
        ...(spec.timeToLiveAttribute ? { timeToLiveAttribute: spec.timeToLiveAttribute } : {}),
        ...(spec.stream ? { stream: dynamodb.StreamViewType[spec.stream] } : {}),
        ...(key
          ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key }
          : { encryption: dynamodb.TableEncryption.DEFAULT }),
      });
      for (const index of spec.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: [...index.projected],
        });
      }
      return [name, table] as const;
    });
    this.tables = Object.fromEntries(tableEntries) as Record<TableName, dynamodb.Table>;

    const bus = new events.EventBus(this, 'EventBus', {
      eventBusName: n.bus(),
      description: `Clearway ${config.country} (${config.stage}) declaration events`,
    });
    bus.archive('Archive', {
      archiveName: n.archive(),
      description: `Replayable history of clearway.${config.country.toLowerCase()} events`,
      eventPattern: { source: [eventSource(config.country)] },
      retention: config.archiveRetention,
    });

    const queueEntries = (Object.keys(queues) as QueueName[]).map((name) => {
      const deadLetterQueue = new sqs.Queue(this, `${pascal(name)}DeadLetterQueue`, {
        queueName: n.deadLetterQueue(name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      const queue = new sqs.Queue(this, `${pascal(name)}Queue`, {
        queueName: n.queue(name),
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(name)),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: queues[name].maxReceiveCount },
      });
      return [name, { queue, deadLetterQueue }] as const;
    });
    const queuePairs = Object.fromEntries(queueEntries) as Record<
      QueueName,
      { queue: sqs.Queue; deadLetterQueue: sqs.Queue }
    >;

    // Each bus rule (in the stateless stack) delivers to its queue, and to the queue's DLQ when delivery
    // fails. The rule's ARN follows from its name, so the policies are written here without a reference
    // to the other stack (which would make the two stacks depend on each other).
    for (const rule of busRules) {
      const ruleArn = this.formatArn({
        service: 'events',
        resource: 'rule',
        resourceName: `${n.bus()}/${n.rule(rule)}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      const { queue, deadLetterQueue } = queuePairs[rule.target.queue];
      for (const target of [queue, deadLetterQueue]) {
        target.addToResourcePolicy(
          new iam.PolicyStatement({
            sid: `AllowRule${rule.name}`,
            principals: [new iam.ServicePrincipal('events.amazonaws.com')],
            actions: ['sqs:SendMessage'],
            resources: [target.queueArn],
            conditions: { ArnEquals: { 'aws:SourceArn': ruleArn } },
          }),
        );
      }
    }

    // One random secret per stack, made by CloudFormation and never seen by anyone: functions derive
    // from it the key of declaration ids (so no one can compute them from a platform and a reference)
    // and the keys that seal paging cursors.
    const stackSecret = new secretsmanager.Secret(this, 'StackSecret', {
      secretName: n.stackSecret(),
      description: `Clearway ${config.country} (${config.stage}): key material for declaration ids and cursors`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(stackSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated on purpose: declaration ids are derived from it, and a resubmitted reference must ' +
        'keep addressing the declaration it created for the life of the stack (idempotency). It is never ' +
        'shown to anyone; only the functions that derive ids or seal cursors may read it.',
    });

    const webhookKey = new kms.Key(this, 'WebhookSecretsKey', {
      alias: n.keyAlias('webhook-secrets'),
      description: `Seals the webhook secrets of ${config.prefix}: encrypt for the webhooks function, decrypt for notify`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(config.protected ? 30 : 7),
      removalPolicy: config.removalPolicy,
    });

    const auth = new MachineAuth(this, 'Auth', {
      config,
      removalPolicy: config.removalPolicy,
      projectRoot: PROJECT_ROOT,
      logRetention: config.logRetention,
    });

    this.resources = {
      tables: Object.fromEntries(
        tableEntries.map(([name, table]) => [
          name,
          dynamodb.Table.fromTableAttributes(this, `${pascal(name)}TableByName`, {
            tableName: n.table(name),
            ...(table.encryptionKey ? { encryptionKey: table.encryptionKey } : {}),
            // A stream's ARN carries the time it was enabled: it cannot be derived from the name.
            ...(tables[name].stream ? { tableStreamArn: table.tableStreamArn } : {}),
            globalIndexes: tables[name].indexes.map((index) => index.name),
          }),
        ]),
      ) as Record<TableName, dynamodb.ITable>,
      queues: queuePairs,
      bus,
      stackSecret,
      webhookKey,
      auth: {
        userPool: auth.userPool,
        clientIds: auth.clients.map(({ client }) => client.userPoolClientId),
        issuer: auth.issuer,
        tokenUrl: auth.tokenUrl,
        hostedUiUrl: auth.hostedUiUrl,
      },
    };
  }
}
