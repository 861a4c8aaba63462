// Stateless resources of one country and stage: the functions of `topology.functions` with exactly the
// grants the topology names, their SQS event-source mappings, the bus rules, the HTTP API and the
// alarms and dashboard. Built from the StatefulStack's typed resources.
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fairUseEnvironment } from '../../shared/domain/fair-use.js';
import { type Route, routes } from '../../shared/http/routes/index.js';
import {
  type Access,
  busRules,
  EVENT_BUS_ENV,
  eventSourceMappings,
  type FunctionName,
  functions,
  LIFETIME_START_ENV,
  queueEnvName,
  STACK_SECRET_ENV,
  schedules,
  streamMappings,
  type TableName,
  tableEnvName,
  tables,
  WEBHOOK_KEY_ENV,
  WEBHOOK_RECEIVERS_ENV,
} from '../../shared/topology.js';
import { names, PROJECT_ROOT, pascal, roleScope, type StageConfig } from '../config.js';
import { ClearwayFunction } from '../constructs/clearway-function.js';
import { nagResourceText } from '../constructs/nag.js';
import { Observability } from '../constructs/observability.js';
import type { StatefulResources } from './stateful-stack.js';

/** How long EventBridge keeps retrying delivery to a target queue before the event goes to the DLQ. */
const RULE_TARGET_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 24 * 60 * 60 };

/** API Gateway route key, also the key of a route's stage settings. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** Fields of the JSON access log line; `clientId` is the caller's app client (empty on public routes). */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  clientId: '$context.authorizer.claims.client_id',
};

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  stateful: StatefulResources;
  /** The HTTP routes; `topology.routes` unless a test exercises others. */
  routes?: readonly Route[];
}

export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, ClearwayFunction>;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Strong references (CloudFormation exports) on purpose: the stateful stack cannot be deleted while
    // this one uses its keys, queues, bus and user pool. Tables are addressed by name.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { config, stateful } = props;
    const n = names(config);

    this.functions = Object.fromEntries(
      (Object.keys(functions) as FunctionName[]).map((name) => [
        name,
        this.buildFunction(name, config, stateful),
      ]),
    ) as Record<FunctionName, ClearwayFunction>;

    // SQS consumers: batches with partial failures; maxConcurrency (not reserved concurrency, which would
    // take capacity from the account pool and fails in accounts with a low concurrency quota) caps how hard
    // a consumer can hit DynamoDB or partner endpoints.
    for (const mapping of eventSourceMappings) {
      this.functions[mapping.function].addEventSource(
        new SqsEventSource(stateful.queues[mapping.queue].queue, {
          batchSize: mapping.batchSize,
          maxBatchingWindow: Duration.seconds(mapping.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
          maxConcurrency: mapping.maxConcurrency,
        }),
      );
    }

    // Stream consumers: the accepted write drives the pipeline. Only the records the filter matches
    // invoke the function (and are billed); a failing batch is split and retried from the failed record,
    // then parked in the dead-letter queue (its message names the shard and sequence numbers).
    for (const mapping of streamMappings) {
      this.functions[mapping.function].addEventSource(
        new DynamoEventSource(stateful.tables[mapping.table], {
          startingPosition: lambda.StartingPosition.TRIM_HORIZON,
          batchSize: mapping.batchSize,
          maxBatchingWindow: Duration.seconds(mapping.maxBatchingWindowSeconds),
          parallelizationFactor: mapping.parallelizationFactor,
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: mapping.maxRetryAttempts,
          onFailure: new SqsDlq(stateful.queues[mapping.parkIn].deadLetterQueue),
          filters: [lambda.FilterCriteria.filter(mapping.filter as Record<string, unknown>)],
        }),
      );
    }

    // Bus rules as CfnRule so the synthesized EventPattern is exactly `rule.pattern(country)`. Their queue
    // policies live with the queues (StatefulStack), keyed on the rule ARN derived from the rule name.
    for (const rule of busRules) {
      const { queue, deadLetterQueue } = stateful.queues[rule.target.queue];
      new events.CfnRule(this, `${rule.name}Rule`, {
        name: n.rule(rule),
        description: rule.description,
        eventBusName: stateful.bus.eventBusName,
        eventPattern: rule.pattern(config.country),
        state: 'ENABLED',
        targets: [
          {
            id: `${rule.target.queue}-queue`,
            arn: queue.queueArn,
            deadLetterConfig: { arn: deadLetterQueue.queueArn },
            retryPolicy: RULE_TARGET_RETRY,
          },
        ],
      });
    }

    // Scheduled jobs: a rule on the default bus (where schedules run) invoking the function at its rate.
    for (const schedule of schedules) {
      new events.Rule(this, `${schedule.name}Schedule`, {
        description: schedule.description,
        schedule: events.Schedule.rate(Duration.minutes(schedule.everyMinutes)),
        targets: [new targets.LambdaFunction(this.functions[schedule.function], { retryAttempts: 2 })],
      });
    }

    ({ api: this.api, stage: this.stage } = this.buildApi(config, stateful, props.routes ?? routes));

    this.observability = new Observability(this, 'Observability', {
      config,
      functions: this.functions,
      queues: stateful.queues,
      api: this.api,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'TokenUrl', {
      value: stateful.auth.tokenUrl,
      description: 'OAuth2 token endpoint (client credentials)',
    });
    new CfnOutput(this, 'UserPoolId', {
      value: stateful.auth.userPool.userPoolId,
      description: 'User pool holding the app clients',
    });
    new CfnOutput(this, 'EventBusName', {
      value: stateful.bus.eventBusName,
      description: 'Declaration event bus',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'Alarm notifications',
    });
  }

  private buildFunction(
    name: FunctionName,
    config: StageConfig,
    stateful: StatefulResources,
  ): ClearwayFunction {
    const spec = functions[name];
    const tableAccess = Object.entries(spec.tables) as [TableName, Access][];
    const environment: Record<string, string> = { COUNTRY: config.country, STAGE: config.stage };
    for (const [table] of tableAccess) environment[tableEnvName(table)] = stateful.tables[table].tableName;
    for (const queue of spec.sendsTo)
      environment[queueEnvName(queue)] = stateful.queues[queue].queue.queueUrl;
    if (spec.publishesEvents) environment[EVENT_BUS_ENV] = stateful.bus.eventBusName;
    if (spec.readsStackSecret) environment[STACK_SECRET_ENV] = stateful.stackSecret.secretArn;
    if (config.lifetimeStart) environment[LIFETIME_START_ENV] = config.lifetimeStart;
    if (spec.tables.limits) Object.assign(environment, fairUseEnvironment(config.fairUse));
    // A deployed stack delivers over https to public addresses only.
    if (spec.reachesWebhooks) environment[WEBHOOK_RECEIVERS_ENV] = 'public';
    if (spec.reachesWebhooks) environment[WEBHOOK_KEY_ENV] = stateful.webhookKey.keyArn;

    const fn = new ClearwayFunction(this, `${pascal(name)}Function`, {
      functionName: names(config).function(name),
      entry: spec.entry,
      projectRoot: PROJECT_ROOT,
      description: spec.description,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      logLevel: config.powertoolsLogLevel,
      environment,
      ...(spec.runtimeFiles ? { runtimeFiles: spec.runtimeFiles } : {}),
      ...(spec.assets ? { assets: spec.assets } : {}),
    });

    // Permissions come only from these grants, exactly as the topology declares them.
    for (const [table, access] of tableAccess) {
      if (access === 'readWrite') stateful.tables[table].grantReadWriteData(fn);
      else if (access === 'count') stateful.tables[table].grant(fn, 'dynamodb:UpdateItem');
      else stateful.tables[table].grantReadData(fn);
    }
    for (const queue of spec.sendsTo) stateful.queues[queue].queue.grantSendMessages(fn);
    if (spec.publishesEvents) stateful.bus.grantPutEventsTo(fn);
    if (spec.readsStackSecret) stateful.stackSecret.grantRead(fn);
    if (spec.webhookSecrets === 'seal') stateful.webhookKey.grant(fn, 'kms:Encrypt');
    if (spec.webhookSecrets === 'open') stateful.webhookKey.grant(fn, 'kms:Decrypt');

    this.acknowledgeGrantWildcards(name, fn, stateful, tableAccess);
    return fn;
  }

  /**
   * The grants above produce two kinds of wildcard; each is acknowledged on the function's policy as the
   * exact finding (the named table's index ARN, the two KMS action families), so any other wildcard still
   * fails the check.
   */
  private acknowledgeGrantWildcards(
    name: FunctionName,
    fn: ClearwayFunction,
    stateful: StatefulResources,
    tableAccess: [TableName, Access][],
  ): void {
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) return;
    const validations = Validations.of(policy);
    for (const [table] of tableAccess) {
      if (tables[table].indexes.length === 0) continue;
      const indexArns = nagResourceText(this, `${stateful.tables[table].tableArn}/index/*`);
      validations.acknowledge({
        id: `AwsSolutions-IAM5[Resource::${indexArns}]`,
        reason: `The ${table} grant includes the table's own global secondary indexes (${tables[table].indexes.map((index) => index.name).join(', ')}), which the ${name} function queries; no other table is covered.`,
      });
    }
    if (tableAccess.some(([table, access]) => access === 'readWrite' && tables[table].sensitive)) {
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        validations.acknowledge({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `Read-write grant on a table encrypted with a customer-managed key: DynamoDB needs ${action} for that key, and the statement is limited to the key's ARN.`,
        });
      }
    }
  }

  /**
   * The console's staff sign-in: a public app client (no secret; authorization code with PKCE) of the
   * hosted UI, returning to the console on this API's own origin. The console function is told the client
   * and the hosted UI; it serves them to the browser in /console/config.json.
   */
  private buildStaffClient(config: StageConfig, stateful: StatefulResources, api: apigwv2.HttpApi) {
    const origin = `https://${api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    const client = new cognito.UserPoolClient(this, 'StaffConsoleClient', {
      userPool: stateful.auth.userPool,
      userPoolClientName: `${config.prefix}-staff-console`,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${origin}/console/callback`],
        logoutUrls: [`${origin}/console/sign-in`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    const consoleFunction = this.functions.console;
    consoleFunction.addEnvironment('CONSOLE_SIGN_IN', 'cognito');
    consoleFunction.addEnvironment('CONSOLE_AUTH_DOMAIN', stateful.auth.hostedUiUrl);
    consoleFunction.addEnvironment('CONSOLE_CLIENT_ID', client.userPoolClientId);
    new CfnOutput(this, 'ConsoleUrl', {
      value: `${origin}/console`,
      description: "The administration's console",
    });
    return client;
  }

  private buildApi(config: StageConfig, stateful: StatefulResources, apiRoutes: readonly Route[]) {
    const n = names(config);
    const api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: n.api(),
      description: `Clearway ${config.country} (${config.stage}) public API`,
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.apiThrottle,
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    // Cognito access tokens from client credentials carry `client_id` rather than `aud`; API Gateway then
    // checks `client_id` against the audience list, so the audience is every app client of the pool.
    const staffClient = this.buildStaffClient(config, stateful, api);
    const authorizer = new HttpJwtAuthorizer('ClientCredentialsAuthorizer', stateful.auth.issuer, {
      authorizerName: `${n.api()}-jwt`,
      jwtAudience: [...stateful.auth.clientIds, staffClient.userPoolClientId],
    });
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(name)}Integration`, this.functions[name]);
        integrations.set(name, integration);
      }
      return integration;
    };

    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const publicRoutes: apigwv2.HttpRoute[] = [];
    for (const route of apiRoutes) {
      const isPublic = route.roles.length === 0;
      const httpRoute = new apigwv2.HttpRoute(
        this,
        `Route ${route.method} ${route.path.replaceAll('/', '|')}`,
        {
          httpApi: api,
          routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
          integration: integrationFor(route.function),
          ...(isPublic ? {} : { authorizer, authorizationScopes: route.roles.map(roleScope) }),
        },
      );
      if (isPublic) {
        publicRoutes.push(httpRoute);
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: config.publicRouteThrottle.rateLimit,
          ThrottlingBurstLimit: config.publicRouteThrottle.burstLimit,
        };
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by contract (DESIGN 3: "anyone"); it is read-only or computes a quote, and carries its own stricter route throttling.`,
        });
      }
    }
    if (publicRoutes.length > 0) {
      const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
      cfnStage.routeSettings = routeSettings;
      // Route settings name routes by key: the routes must exist before the stage refers to them.
      for (const route of publicRoutes) cfnStage.node.addDependency(route);
    }
    return { api, stage };
  }
}
