import { Duration } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { names, pascal, roleScope } from '../../infra/config.js';
import { ACCESS_LOG_FIELDS, routeKey } from '../../infra/stacks/stateless-stack.js';
import { BUSINESS_METRICS, type BusinessMetric, EMITTED_BY, LANES } from '../../shared/business-metrics.js';
import { FAIR_USE_ENV } from '../../shared/domain/fair-use.js';
import { routes } from '../../shared/http/routes/index.js';
import {
  busRules,
  EVENT_BUS_ENV,
  eventSourceMappings,
  type FunctionName,
  functions,
  type QueueName,
  queueEnvName,
  queues,
  STACK_SECRET_ENV,
  schedules,
  streamMappings,
  type TableName,
  tableEnvName,
  tables,
  WEBHOOK_KEY_ENV,
  WEBHOOK_RECEIVERS_ENV,
} from '../../shared/topology.js';
import {
  actionsOf,
  type CfnResource,
  DYNAMODB_WRITE_ACTIONS,
  type PolicyStatement,
  resourceBy,
  resourcesOf,
  resourceTexts,
  statementsOfFunction,
} from './lookup.js';
import { disposeSyntheses, type Synthesized, synthesize } from './synth.js';

const functionNames = Object.keys(functions) as FunctionName[];
const tableNames = Object.keys(tables) as TableName[];
const queueNames = Object.keys(queues) as QueueName[];
const n = names({ country: 'NL', stage: 'dev' });

const apiRoutes = routes;
const publicRoutes = apiRoutes.filter((route) => route.roles.length === 0);

describe('StatelessStack (NL, dev)', () => {
  let nl: Synthesized;

  beforeAll(() => {
    nl = synthesize({ country: 'NL' });
  });
  afterAll(disposeSyntheses);

  describe('functions', () => {
    it('creates exactly one Lambda function per topology function', () => {
      // Act
      const created = resourcesOf(nl.templates.stateless, 'AWS::Lambda::Function').map(
        ([, fn]) => fn.Properties.FunctionName,
      );

      // Assess
      expect(created.sort()).toEqual(functionNames.map((name) => n.function(name)).sort());
      // The stateful stack holds only the user pool's staff token trigger.
      expect(
        resourcesOf(nl.templates.stateful, 'AWS::Lambda::Function').map(
          ([, fn]) => fn.Properties.FunctionName,
        ),
      ).toEqual([`${nl.config.prefix}-staff-token`]);
    });

    it.each(functionNames)(
      'runs %s on Node.js 22, arm64, with active tracing and its own log group',
      (name) => {
        // Prepare
        const spec = functions[name];
        const template = nl.templates.stateless;

        // Act
        const [, fn] = resourceBy(template, 'AWS::Lambda::Function', 'FunctionName', n.function(name));

        // Assess
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Handler: 'index.handler',
          Timeout: spec.timeoutSeconds,
          MemorySize: spec.memoryMb,
        });
        expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
        const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        const logGroups = template.findResources('AWS::Logs::LogGroup') as Record<string, CfnResource>;
        expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBe(7);
      },
    );

    it.each(functionNames)('gives %s exactly the environment its topology entry implies', (name) => {
      // Prepare
      const spec = functions[name];
      const expected = [
        'NODE_OPTIONS',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
        'POWERTOOLS_LOG_LEVEL',
        'COUNTRY',
        'STAGE',
        ...(Object.keys(spec.tables) as TableName[]).map(tableEnvName),
        ...spec.sendsTo.map(queueEnvName),
        ...(spec.publishesEvents ? [EVENT_BUS_ENV] : []),
        ...(spec.readsStackSecret ? [STACK_SECRET_ENV] : []),
        ...(spec.tables.limits ? Object.values(FAIR_USE_ENV) : []),
        ...(spec.reachesWebhooks ? [WEBHOOK_RECEIVERS_ENV, WEBHOOK_KEY_ENV] : []),
        ...(spec.assets ? ['ASSETS_DIR'] : []),
        // The console tells the browser how staff sign in.
        ...(name === 'console' ? ['CONSOLE_SIGN_IN', 'CONSOLE_AUTH_DOMAIN', 'CONSOLE_CLIENT_ID'] : []),
      ];

      // Act
      const [, fn] = resourceBy(
        nl.templates.stateless,
        'AWS::Lambda::Function',
        'FunctionName',
        n.function(name),
      );
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

      // Assess
      expect(Object.keys(variables).sort()).toEqual(expected.sort());
      expect(variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: n.function(name),
        POWERTOOLS_METRICS_NAMESPACE: 'Clearway',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        COUNTRY: 'NL',
        STAGE: 'dev',
      });
      for (const table of Object.keys(spec.tables) as TableName[]) {
        expect(variables[tableEnvName(table)]).toBe(n.table(table));
      }
    });

    it('uses no AWS managed policies', () => {
      for (const [, role] of resourcesOf(nl.templates.stateless, 'AWS::IAM::Role')) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('webhooks', () => {
    it('tells the functions that register and deliver webhooks to reach public https receivers only', () => {
      for (const name of functionNames.filter((fn) => functions[fn].reachesWebhooks)) {
        const [, fn] = resourceBy(
          nl.templates.stateless,
          'AWS::Lambda::Function',
          'FunctionName',
          n.function(name),
        );
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(variables[WEBHOOK_RECEIVERS_ENV], name).toBe('public');
      }
      expect(functionNames.filter((fn) => functions[fn].reachesWebhooks).sort()).toEqual([
        'notify',
        'webhooks',
      ]);
    });

    it('lets the webhooks function only encrypt with the webhook key, notify only decrypt, and no one else use it', () => {
      // Prepare
      const keyActions = (name: FunctionName) =>
        statementsOfFunction(nl.templates.stateless, n.function(name))
          .filter((statement) => JSON.stringify(statement.Resource ?? '').includes('WebhookSecretsKey'))
          .flatMap(actionsOf);

      // Act
      const byFunction = Object.fromEntries(functionNames.map((name) => [name, keyActions(name)]));

      // Assess
      for (const name of functionNames) {
        const expected = name === 'webhooks' ? ['kms:Encrypt'] : name === 'notify' ? ['kms:Decrypt'] : [];
        expect(byFunction[name], name).toEqual(expected);
      }
    });
  });

  describe('least privilege', () => {
    const onTable = (statements: PolicyStatement[], table: TableName) =>
      statements.filter((statement) =>
        resourceTexts(statement).some((text) => text.includes(`:table/${n.table(table)}`)),
      );

    it.each(functionNames)('grants %s table access exactly as the topology declares it', (name) => {
      // Prepare
      const statements = statementsOfFunction(nl.templates.stateless, n.function(name));

      for (const table of tableNames) {
        // Act
        const access = functions[name].tables[table];
        const actions = onTable(statements, table).flatMap(actionsOf);

        // Assess
        if (!access) expect(actions, `${name} on ${table}`).toEqual([]);
        else if (access === 'count') expect(actions, `${name} on ${table}`).toEqual(['dynamodb:UpdateItem']);
        else expect(actions, `${name} on ${table}`).toContain('dynamodb:GetItem');
        const writes = actions.filter((action) => DYNAMODB_WRITE_ACTIONS.includes(action));
        if (access === 'readWrite') expect(writes.sort()).toEqual([...DYNAMODB_WRITE_ACTIONS].sort());
        else if (access === 'count') expect(writes).toEqual(['dynamodb:UpdateItem']);
        else expect(writes, `${name} must not write ${table}`).toEqual([]);
      }
    });

    it('keeps the ledger away from every function the topology does not give it to', () => {
      for (const name of functionNames.filter((fn) => !functions[fn].tables.ledger)) {
        expect(onTable(statementsOfFunction(nl.templates.stateless, n.function(name)), 'ledger')).toEqual([]);
      }
    });

    it.runIf('notify' in functions)('does not let the notify function write the declarations table', () => {
      const actions = onTable(
        statementsOfFunction(nl.templates.stateless, n.function('notify' as FunctionName)),
        'declarations',
      ).flatMap(actionsOf);
      expect(actions.filter((action) => DYNAMODB_WRITE_ACTIONS.includes(action))).toEqual([]);
    });

    it.each(functionNames)('lets %s put events and send messages only if the topology says so', (name) => {
      // Prepare
      const spec = functions[name];
      const statements = statementsOfFunction(nl.templates.stateless, n.function(name));

      // Act
      const putEvents = statements.filter((statement) => actionsOf(statement).includes('events:PutEvents'));
      const sendTargets = statements
        .filter((statement) => actionsOf(statement).includes('sqs:SendMessage'))
        .flatMap(resourceTexts);

      // Assess
      expect(putEvents).toHaveLength(spec.publishesEvents ? 1 : 0);
      for (const statement of putEvents)
        expect(resourceTexts(statement)).toEqual([expect.stringContaining('EventBus')]);
      // A stream consumer also sends the records it parks after every retry to its dead-letter queue.
      const parks = streamMappings.filter((mapping) => mapping.function === name);
      expect(sendTargets).toHaveLength(spec.sendsTo.length + parks.length);
      for (const queue of spec.sendsTo) {
        expect(sendTargets.some((text) => text.includes(`${pascal(queue)}Queue`))).toBe(true);
      }
    });

    it.each(functionNames)('gives %s KMS rights only when it uses a sensitive table', (name) => {
      // Prepare
      const usesSensitive = (Object.keys(functions[name].tables) as TableName[]).some(
        (table) => tables[table].sensitive,
      );

      // Act
      // The webhook key has a test of its own.
      const kms = statementsOfFunction(nl.templates.stateless, n.function(name)).filter(
        (statement) =>
          actionsOf(statement).some((action) => action.startsWith('kms:')) &&
          !resourceTexts(statement).some((text) => text.includes('WebhookSecretsKey')),
      );

      // Assess
      expect(kms.length > 0).toBe(usesSensitive);
      for (const statement of kms)
        expect(resourceTexts(statement).every((text) => text.includes('TableKey'))).toBe(true);
    });

    it('uses a "*" resource only for the actions that take no resource (X-Ray, listing streams)', () => {
      for (const name of functionNames) {
        const wildcard = statementsOfFunction(nl.templates.stateless, n.function(name)).filter((statement) =>
          resourceTexts(statement).includes('*'),
        );
        const readsStream = streamMappings.some((mapping) => mapping.function === name);
        expect(wildcard.flatMap(actionsOf).sort()).toEqual([
          ...(readsStream ? ['dynamodb:ListStreams'] : []),
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });

    it('lets only the consumer of a queue receive from it', () => {
      for (const name of functionNames) {
        const consumed = eventSourceMappings
          .filter((mapping) => mapping.function === name)
          .map((mapping) => mapping.queue);
        const receives = statementsOfFunction(nl.templates.stateless, n.function(name))
          .filter((statement) => actionsOf(statement).includes('sqs:ReceiveMessage'))
          .flatMap(resourceTexts);
        expect(receives).toHaveLength(consumed.length);
      }
    });
  });

  describe('event-source mappings', () => {
    it('creates one per topology mapping with its batch settings and partial batch failures', () => {
      // Prepare
      const template = nl.templates.stateless;

      // Act
      const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
        ([, candidate]) => !candidate.Properties.StartingPosition,
      );

      // Assess
      expect(mappings).toHaveLength(eventSourceMappings.length);
      for (const mapping of eventSourceMappings) {
        const [fnId] = resourceBy(
          template,
          'AWS::Lambda::Function',
          'FunctionName',
          n.function(mapping.function),
        );
        const matching = mappings.filter(
          ([, candidate]) =>
            JSON.stringify(candidate.Properties.FunctionName) === JSON.stringify({ Ref: fnId }),
        );
        expect(matching).toHaveLength(1);
        const [, esm] = matching[0] as [string, CfnResource];
        expect(esm.Properties).toMatchObject({
          BatchSize: mapping.batchSize,
          MaximumBatchingWindowInSeconds: mapping.maxBatchingWindowSeconds,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: mapping.maxConcurrency },
        });
        expect(JSON.stringify(esm.Properties.EventSourceArn)).toContain(`${pascal(mapping.queue)}Queue`);
      }
    });

    it('feeds each stream mapping filtered, bisected on error, with partial failures and a place to park', () => {
      // Prepare
      const template = nl.templates.stateless;

      // Act
      const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
        ([, candidate]) => candidate.Properties.StartingPosition,
      );

      // Assess
      expect(mappings).toHaveLength(streamMappings.length);
      for (const mapping of streamMappings) {
        const [fnId] = resourceBy(
          template,
          'AWS::Lambda::Function',
          'FunctionName',
          n.function(mapping.function),
        );
        const [, esm] = mappings.find(
          ([, candidate]) =>
            JSON.stringify(candidate.Properties.FunctionName) === JSON.stringify({ Ref: fnId }),
        ) as [string, CfnResource];
        expect(esm.Properties).toMatchObject({
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: mapping.batchSize,
          ParallelizationFactor: mapping.parallelizationFactor,
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: mapping.maxRetryAttempts,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          FilterCriteria: { Filters: [{ Pattern: JSON.stringify(mapping.filter) }] },
        });
        expect(JSON.stringify(esm.Properties.DestinationConfig)).toContain('OnFailure');
        expect(JSON.stringify(esm.Properties.EventSourceArn)).toContain(`${pascal(mapping.table)}Table`);
      }
    });
  });

  describe('bus rules', () => {
    it('creates one rule per topology rule on the country bus, and one per schedule', () => {
      expect(resourcesOf(nl.templates.stateless, 'AWS::Events::Rule')).toHaveLength(
        busRules.length + schedules.length,
      );
    });

    it.each(schedules.map((schedule) => [schedule.name, schedule] as const))(
      'runs the %s schedule at its rate on the default bus, invoking its function',
      (_name, schedule) => {
        // Act
        const scheduled = resourcesOf(nl.templates.stateless, 'AWS::Events::Rule').filter(
          ([, rule]) => rule.Properties.ScheduleExpression !== undefined,
        );

        // Assess
        const [, rule] =
          scheduled.find(([, candidate]) => candidate.Properties.Description === schedule.description) ?? [];
        expect(rule?.Properties.ScheduleExpression).toBe(
          Schedule.rate(Duration.minutes(schedule.everyMinutes)).expressionString,
        );
        expect(rule?.Properties.EventBusName).toBeUndefined();
        const [target] = (rule?.Properties.Targets ?? []) as Record<string, unknown>[];
        expect(JSON.stringify(target?.Arn)).toContain(`${pascal(schedule.function)}Function`);
      },
    );

    it.each(busRules.map((rule) => [rule.name, rule] as const))(
      'synthesizes %s with exactly pattern("NL") and its queue (with DLQ) as target',
      (_name, rule) => {
        // Act
        const [, cfnRule] = resourceBy(nl.templates.stateless, 'AWS::Events::Rule', 'Name', n.rule(rule));

        // Assess
        expect(cfnRule.Properties.EventPattern).toEqual(rule.pattern('NL'));
        const [target] = cfnRule.Properties.Targets as Record<string, unknown>[];
        expect(JSON.stringify(target?.Arn)).toContain(`${pascal(rule.target.queue)}Queue`);
        expect(JSON.stringify(target?.DeadLetterConfig)).toContain(
          `${pascal(rule.target.queue)}DeadLetterQueue`,
        );
        expect(JSON.stringify(cfnRule.Properties.EventBusName)).toContain('EventBus');
      },
    );
  });

  describe('HTTP API', () => {
    it.each(routes.map((route) => [routeKey(route), route] as const))(
      'routes %s to its function behind the JWT authorizer with the role scopes',
      (key, route) => {
        // Prepare
        const template = nl.templates.stateless;
        const [authorizerId] = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer')[0] as [
          string,
          CfnResource,
        ];

        // Act
        const [, cfnRoute] = resourceBy(template, 'AWS::ApiGatewayV2::Route', 'RouteKey', key);
        const integrationId = (cfnRoute.Properties.Target as { 'Fn::Join': [string, unknown[]] })[
          'Fn::Join'
        ][1][1] as {
          Ref: string;
        };
        const integrations = template.findResources('AWS::ApiGatewayV2::Integration') as Record<
          string,
          CfnResource
        >;
        const [fnId] = resourceBy(
          template,
          'AWS::Lambda::Function',
          'FunctionName',
          n.function(route.function),
        );

        // Assess
        expect(cfnRoute.Properties).toMatchObject({
          AuthorizationType: route.roles.length > 0 ? 'JWT' : 'NONE',
          ...(route.roles.length > 0
            ? { AuthorizerId: { Ref: authorizerId }, AuthorizationScopes: route.roles.map(roleScope) }
            : {}),
        });
        expect(JSON.stringify(integrations[integrationId.Ref]?.Properties.IntegrationUri)).toContain(fnId);
      },
    );

    it('creates no route the topology does not list', () => {
      expect(resourcesOf(nl.templates.stateless, 'AWS::ApiGatewayV2::Route')).toHaveLength(routes.length);
    });

    it('validates Cognito access tokens: issuer of the pool, audience = its app clients', () => {
      // Act
      const [[, authorizer]] = resourcesOf(nl.templates.stateless, 'AWS::ApiGatewayV2::Authorizer') as [
        [string, CfnResource],
      ];
      const jwt = authorizer.Properties.JwtConfiguration as { Issuer: unknown; Audience: unknown[] };

      // Assess
      expect(authorizer.Properties.AuthorizerType).toBe('JWT');
      expect(JSON.stringify(jwt.Issuer)).toContain('ProviderURL');
      // The machine clients and the console's staff client.
      expect(jwt.Audience).toHaveLength(nl.config.appClients.length + 1);
      expect(JSON.stringify(jwt.Audience)).toContain('StaffConsoleClient');
    });

    it("signs staff in to the console with the authorization code and PKCE, on the API's own origin", () => {
      // Act
      const [[, client]] = resourcesOf(nl.templates.stateless, 'AWS::Cognito::UserPoolClient') as [
        [string, CfnResource],
      ];

      // Assess
      expect(client.Properties).toMatchObject({
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
      });
      expect(JSON.stringify(client.Properties.CallbackURLs)).toContain('/console/callback');
      expect(JSON.stringify(client.Properties.CallbackURLs)).toContain('execute-api');
    });

    it('throttles the default stage and writes JSON access logs to a log group', () => {
      // Act
      const [[, stage]] = resourcesOf(nl.templates.stateless, 'AWS::ApiGatewayV2::Stage') as [
        [string, CfnResource],
      ];
      const logs = stage.Properties.AccessLogSettings as {
        DestinationArn: { 'Fn::GetAtt': [string, string] };
        Format: string;
      };

      // Assess
      expect(stage.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
      expect(JSON.parse(logs.Format)).toEqual(ACCESS_LOG_FIELDS);
      expect(nl.templates.stateless.findResources('AWS::Logs::LogGroup')).toHaveProperty(
        logs.DestinationArn['Fn::GetAtt'][0],
      );
      nl.templates.stateless.resourcePropertiesCountIs(
        'AWS::ApiGatewayV2::Api',
        { CorsConfiguration: {} },
        0,
      );
    });
  });

  describe('public routes', () => {
    let withPublic: Synthesized;

    beforeAll(() => {
      withPublic = apiRoutes === routes ? nl : synthesize({ country: 'NL', routes: apiRoutes });
    });

    it.each(publicRoutes.map((route) => [routeKey(route)] as const))(
      'serves %s without authorizer or scopes',
      (key) => {
        const [, cfnRoute] = resourceBy(
          withPublic.templates.stateless,
          'AWS::ApiGatewayV2::Route',
          'RouteKey',
          key,
        );
        expect(cfnRoute.Properties.AuthorizationType).toBe('NONE');
        expect(cfnRoute.Properties.AuthorizerId).toBeUndefined();
        expect(cfnRoute.Properties.AuthorizationScopes).toBeUndefined();
      },
    );

    it('throttles every public route, and only those, harder than the stage default', () => {
      // Act
      const [[stageId, stage]] = resourcesOf(withPublic.templates.stateless, 'AWS::ApiGatewayV2::Stage') as [
        [string, CfnResource],
      ];
      const settings = stage.Properties.RouteSettings as Record<
        string,
        { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
      >;
      const defaults = stage.Properties.DefaultRouteSettings as {
        ThrottlingRateLimit: number;
        ThrottlingBurstLimit: number;
      };

      // Assess
      expect(Object.keys(settings).sort()).toEqual(publicRoutes.map(routeKey).sort());
      for (const setting of Object.values(settings)) {
        expect(setting.ThrottlingRateLimit).toBeLessThan(defaults.ThrottlingRateLimit);
        expect(setting.ThrottlingBurstLimit).toBeLessThan(defaults.ThrottlingBurstLimit);
      }
      // The stage names routes by key, so CloudFormation must create them first.
      const dependsOn = (withPublic.templates.stateless.toJSON().Resources[stageId].DependsOn ??
        []) as string[];
      for (const route of publicRoutes) {
        const [routeId] = resourceBy(
          withPublic.templates.stateless,
          'AWS::ApiGatewayV2::Route',
          'RouteKey',
          routeKey(route),
        );
        expect(dependsOn).toContain(routeId);
      }
    });

    it('acknowledges AwsSolutions-APIG4 on each public route and on nothing else', () => {
      expect(withPublic.findings).toEqual([]);
      const acknowledged = withPublic.acknowledgements.filter((ack) => ack.id === 'AwsSolutions-APIG4');
      expect(acknowledged).toHaveLength(publicRoutes.length);
    });
  });

  describe('observability', () => {
    const alarms = () =>
      resourcesOf(nl.templates.stateless, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    it('sends alarms to a KMS-encrypted topic that refuses plain HTTP', () => {
      // Prepare
      const template = nl.templates.stateless;

      // Act
      const [[topicId, topic]] = resourcesOf(template, 'AWS::SNS::Topic') as [[string, CfnResource]];

      // Assess
      expect(topic.Properties.KmsMasterKeyId).toBeDefined();
      const [[, policy]] = resourcesOf(template, 'AWS::SNS::TopicPolicy') as [[string, CfnResource]];
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
      for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    });

    it.each(queueNames)('alarms on any message in the %s dead-letter queue', (queue) => {
      const alarm = alarms().find((candidate) => candidate.AlarmName === n.alarm(`${queue}-dlq-messages`));
      expect(alarm).toMatchObject({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
      expect(JSON.stringify(alarm?.Dimensions)).toContain(`${pascal(queue)}DeadLetterQueue`);
    });

    it.each(functionNames)('alarms on errors and throttles of %s', (name) => {
      // Prepare
      const [fnId] = resourceBy(
        nl.templates.stateless,
        'AWS::Lambda::Function',
        'FunctionName',
        n.function(name),
      );

      for (const metric of ['Errors', 'Throttles']) {
        // Act
        const alarm = alarms().find(
          (candidate) => candidate.AlarmName === n.alarm(`${name}-${metric.toLowerCase()}`),
        );

        // Assess
        expect(alarm).toMatchObject({ MetricName: metric, Namespace: 'AWS/Lambda', Statistic: 'Sum' });
        expect(alarm?.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: fnId } }]);
      }
    });

    it('alarms on API 5xx and p99 latency', () => {
      expect(alarms().find((alarm) => alarm.AlarmName === n.alarm('api-5xx'))).toMatchObject({
        MetricName: '5xx',
        Namespace: 'AWS/ApiGateway',
      });
      expect(alarms().find((alarm) => alarm.AlarmName === n.alarm('api-latency-p99'))).toMatchObject({
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
        Threshold: 5000,
      });
    });

    it('has no alarm beyond DLQs, function errors and throttles, and the API', () => {
      expect(alarms()).toHaveLength(queueNames.length + 2 * functionNames.length + 2);
    });

    it('builds one dashboard for the country with every function and queue', () => {
      // Act
      const [[, dashboard]] = resourcesOf(nl.templates.stateless, 'AWS::CloudWatch::Dashboard') as [
        [string, CfnResource],
      ];
      const body = JSON.stringify(dashboard.Properties.DashboardBody);

      // Assess
      expect(dashboard.Properties.DashboardName).toBe(n.dashboard());
      for (const name of [...functionNames, ...queueNames]) expect(body).toContain(name);
    });

    it("graphs every business metric, summed over the functions that emit it, for the stack's country", () => {
      // Act
      const [[, dashboard]] = resourcesOf(nl.templates.stateless, 'AWS::CloudWatch::Dashboard') as [
        [string, CfnResource],
      ];
      const body = JSON.stringify(dashboard.Properties.DashboardBody);

      // Assess: each emitting function's series is named in the graph and added into its line
      for (const [metric, name] of Object.entries(BUSINESS_METRICS) as [BusinessMetric, string][]) {
        const suffix = metric === 'riskLane' ? '_green' : metric === 'amountAssessed' ? '_eur' : '';
        const ids = EMITTED_BY[metric].map((fn) => `${metric}_${fn}${suffix}`.toLowerCase());
        expect(body).toContain(`\\"Clearway\\",\\"${name}\\"`);
        expect(body).toContain(ids.join(' + '));
        for (const id of ids) expect(body).toContain(`\\"id\\":\\"${id}\\"`);
      }
      for (const lane of LANES) expect(body).toContain(`\\"lane\\",\\"${lane}\\"`);
      expect(body).toContain('\\"currency\\",\\"EUR\\"');
      expect(body).toContain('\\"country\\",\\"NL\\"');
    });
  });

  it('outputs the API URL, token URL, user pool id and bus name', () => {
    const outputs = Object.keys(nl.templates.stateless.findOutputs('*'));
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'TokenUrl', 'UserPoolId', 'EventBusName']));
  });
});
