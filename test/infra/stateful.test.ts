import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, RESOURCE_SERVER_ID } from '../../infra/config.js';
import { eventSource } from '../../shared/domain/events.js';
import {
  busRules,
  type QueueName,
  queues,
  ROLES,
  type TableName,
  tables,
  visibilityTimeoutSeconds,
} from '../../shared/topology.js';
import { type CfnResource, type PolicyStatement, resourceBy, resourcesOf } from './lookup.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

const tableNames = Object.keys(tables) as TableName[];
const queueNames = Object.keys(queues) as QueueName[];

describe('StatefulStack (NL, dev)', () => {
  let nl: Synthesized;
  const n = names({ country: 'NL', stage: 'dev' });

  beforeAll(() => {
    nl = synthesize({ country: 'NL' });
  });
  afterAll(disposeSyntheses);

  describe('tables', () => {
    it('creates one on-demand table per topology table, and no other', () => {
      // Prepare
      const template = nl.templates.stateful;

      // Act
      const created = resourcesOf(template, 'AWS::DynamoDB::Table').map(
        ([, table]) => table.Properties.TableName,
      );

      // Assess
      expect(created.sort()).toEqual(tableNames.map((table) => n.table(table)).sort());
      template.allResourcesProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
    });

    it.each(tableNames)('gives the %s table its keys, PITR, TTL and indexes from the topology', (name) => {
      // Prepare
      const spec = tables[name];

      // Act
      const [, table] = resourceBy(nl.templates.stateful, 'AWS::DynamoDB::Table', 'TableName', n.table(name));

      // Assess
      expect(table.Properties.KeySchema).toEqual([
        { AttributeName: spec.partitionKey, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' }] : []),
      ]);
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.TimeToLiveSpecification).toEqual(
        spec.timeToLiveAttribute ? { AttributeName: spec.timeToLiveAttribute, Enabled: true } : undefined,
      );
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as unknown[];
      expect(indexes).toEqual(
        spec.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projected] },
        })),
      );
    });

    it.each(tableNames)(
      'encrypts the %s table with its own rotating key only when it is sensitive',
      (name) => {
        // Prepare
        const template = nl.templates.stateful;
        const keys = template.findResources('AWS::KMS::Key') as Record<string, CfnResource>;

        // Act
        const [, table] = resourceBy(template, 'AWS::DynamoDB::Table', 'TableName', n.table(name));
        const sse = table.Properties.SSESpecification as {
          SSEEnabled: boolean;
          SSEType?: string;
          KMSMasterKeyId?: unknown;
        };

        // Assess
        if (tables[name].sensitive) {
          expect(sse).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
          const keyId = (sse.KMSMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
          expect(keys[keyId]?.Properties.EnableKeyRotation).toBe(true);
        } else {
          expect(sse.KMSMasterKeyId).toBeUndefined();
        }
      },
    );

    it('lets dev tables be deleted with the stack', () => {
      nl.templates.stateful.allResources('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Delete',
        Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      });
    });
  });

  describe('queues', () => {
    it('creates a queue and a dead-letter queue per topology queue, and no other', () => {
      // Act
      const created = resourcesOf(nl.templates.stateful, 'AWS::SQS::Queue').map(
        ([, queue]) => queue.Properties.QueueName,
      );

      // Assess
      expect(created.sort()).toEqual(
        queueNames.flatMap((queue) => [n.queue(queue), n.deadLetterQueue(queue)]).sort(),
      );
    });

    it.each(queueNames)('redrives the %s queue to its DLQ after the topology maxReceiveCount', (name) => {
      // Prepare
      const template = nl.templates.stateful;

      // Act
      const [, queue] = resourceBy(template, 'AWS::SQS::Queue', 'QueueName', n.queue(name));
      const [dlqId, dlq] = resourceBy(template, 'AWS::SQS::Queue', 'QueueName', n.deadLetterQueue(name));

      // Assess
      expect(queue.Properties.VisibilityTimeout).toBe(visibilityTimeoutSeconds(name));
      expect(queue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: queues[name].maxReceiveCount,
      });
      expect(dlq.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
      for (const encrypted of [queue, dlq]) expect(encrypted.Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('denies every request to every queue that does not use TLS', () => {
      // Prepare
      const template = nl.templates.stateful;
      const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy');

      // Act
      const covered = policies
        .filter(([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.some(
            (statement) =>
              statement.Effect === 'Deny' &&
              JSON.stringify(statement.Condition) ===
                JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          ),
        )
        .flatMap(([, policy]) => (policy.Properties.Queues as { Ref: string }[]).map((queue) => queue.Ref));

      // Assess
      expect(covered.sort()).toEqual(
        resourcesOf(template, 'AWS::SQS::Queue')
          .map(([id]) => id)
          .sort(),
      );
    });

    it("lets EventBridge send to a rule's target queue and its DLQ only from that rule", () => {
      // Prepare
      const template = nl.templates.stateful;
      const eventsStatements = (queueName: string): PolicyStatement[] => {
        const [queueId] = resourceBy(template, 'AWS::SQS::Queue', 'QueueName', queueName);
        return resourcesOf(template, 'AWS::SQS::QueuePolicy')
          .filter(([, policy]) =>
            (policy.Properties.Queues as { Ref: string }[]).some((queue) => queue.Ref === queueId),
          )
          .flatMap(
            ([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
          )
          .filter((statement) => JSON.stringify(statement).includes('events.amazonaws.com'));
      };

      for (const name of queueNames) {
        // Act
        const rulesForQueue = busRules.filter((rule) => rule.target.queue === name);
        const statements = [n.queue(name), n.deadLetterQueue(name)].map(eventsStatements);

        // Assess
        for (const forOneQueue of statements) {
          expect(forOneQueue).toHaveLength(rulesForQueue.length);
          for (const rule of rulesForQueue) {
            const statement = forOneQueue.find((candidate) =>
              JSON.stringify(candidate.Condition).includes(`:rule/${n.bus()}/${n.rule(rule)}"`),
            );
            expect(statement, `${name} allows ${rule.name}`).toMatchObject({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
            });
            expect(Object.keys(statement?.Condition as object)).toEqual(['ArnEquals']);
          }
        }
      }
    });
  });

  describe('event bus', () => {
    it("creates the bus named from the prefix with an archive of this country's events", () => {
      // Prepare
      const template = nl.templates.stateful;

      // Act
      const [busId] = resourceBy(template, 'AWS::Events::EventBus', 'Name', n.bus());

      // Assess
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
        EventPattern: { source: [eventSource('NL')] },
        RetentionDays: 30,
      });
      template.resourceCountIs('AWS::Events::EventBus', 1);
    });
  });

  describe('user pool', () => {
    it('admits no self sign-up and requires MFA and the Plus tier with threat protection', () => {
      nl.templates.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolName: n.userPool(),
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
    });

    it('groups staff by role, keeps the agency code as an attribute and scopes their tokens in a V2 trigger', () => {
      // Prepare
      const template = nl.templates.stateful;

      // Act
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
        (group) => (group as { Properties: { GroupName: string } }).Properties.GroupName,
      );

      // Assess
      expect(groups.sort()).toEqual(['admin', 'agency', 'finance', 'officer']);
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'agency', AttributeDataType: 'String', Mutable: true }),
        ]),
        LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0' } },
      });
    });

    it('has a resource server with one scope per role, and a domain for the token endpoint', () => {
      // Prepare
      const template = nl.templates.stateful;

      // Act
      const [, server] = resourceBy(
        template,
        'AWS::Cognito::UserPoolResourceServer',
        'Identifier',
        RESOURCE_SERVER_ID,
      );
      const scopes = (server.Properties.Scopes as { ScopeName: string }[]).map((scope) => scope.ScopeName);

      // Assess
      expect(scopes).toEqual(expect.arrayContaining([...ROLES]));
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it('creates the console client with client credentials, a secret, its roles and its subject scope', () => {
      // Act
      const [, client] = resourceBy(
        nl.templates.stateful,
        'AWS::Cognito::UserPoolClient',
        'ClientName',
        'clearway-nl-dev-console',
      );

      // Assess
      expect(client.Properties).toMatchObject({
        AllowedOAuthFlows: ['client_credentials'],
        GenerateSecret: true,
      });
      const scopes = JSON.stringify(client.Properties.AllowedOAuthScopes);
      for (const scope of ['/officer"', '/finance"', '/admin"', '/sub:console"'])
        expect(scopes).toContain(scope);
      expect(scopes).not.toContain('/platform"');
    });
  });
});
