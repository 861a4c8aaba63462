// Alarms and the per-country dashboard. Alarms notify one KMS-encrypted SNS topic; outside dev they fire
// on the first bad datapoint of a one-minute period, in dev only on a sustained problem.
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, type BusinessMetric, EMITTED_BY, LANES } from '../../shared/business-metrics.js';
import { packFor } from '../../shared/countries/index.js';
import type { FunctionName, QueueName } from '../../shared/topology.js';
import { names, type StageConfig } from '../config.js';
import type { QueuePair } from '../stacks/stateful-stack.js';
import { POWERTOOLS_METRICS_NAMESPACE } from './clearway-function.js';

export interface ObservabilityProps {
  config: StageConfig;
  functions: Record<FunctionName, lambda.IFunction>;
  queues: Record<QueueName, QueuePair>;
  api: apigwv2.IHttpApi;
}

export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    const n = names(config);
    const stack = Stack.of(this);

    const key = new kms.Key(this, 'AlarmTopicKey', {
      alias: n.keyAlias('alarms'),
      description: `Encrypts the ${n.alarmTopic()} topic`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(config.protected ? 30 : 7),
      removalPolicy: config.removalPolicy,
    });
    // CloudWatch publishes alarm notifications to the encrypted topic, so it must use the key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: n.alarmTopic(),
      displayName: `Clearway ${config.country} ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${config.prefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));

    const { alarms: settings } = config;
    const notify = new actions.SnsAction(this.topic);
    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      options: {
        threshold: number;
        comparisonOperator: cloudwatch.ComparisonOperator;
        description: string;
        /** A DLQ message is an incident in every stage: one datapoint is enough. */
        immediate?: boolean;
      },
    ): cloudwatch.Alarm => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: n.alarm(alarmId),
        alarmDescription: options.description,
        metric,
        threshold: options.threshold,
        comparisonOperator: options.comparisonOperator,
        evaluationPeriods: options.immediate ? 1 : settings.evaluationPeriods,
        datapointsToAlarm: options.immediate ? 1 : settings.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notify);
      created.addOkAction(notify);
      this.alarms.push(created);
      return created;
    };

    for (const [name, { deadLetterQueue }] of Object.entries(props.queues) as [QueueName, QueuePair][]) {
      alarm(
        `${name}-dlq-messages`,
        deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: 'Maximum',
        }),
        {
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          description: `Messages in the ${name} dead-letter queue: inspect, fix, then \`npm run redrive\``,
          immediate: true,
        },
      );
    }
    for (const [name, fn] of Object.entries(props.functions) as [FunctionName, lambda.IFunction][]) {
      alarm(`${name}-errors`, fn.metricErrors({ period: settings.period, statistic: 'Sum' }), {
        threshold: settings.functionErrors,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `The ${name} function fails`,
      });
      alarm(`${name}-throttles`, fn.metricThrottles({ period: settings.period, statistic: 'Sum' }), {
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `The ${name} function is throttled (account concurrency exhausted)`,
      });
    }
    alarm('api-5xx', props.api.metricServerError({ period: settings.period, statistic: 'Sum' }), {
      threshold: settings.api5xx,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: 'The API answers 5xx',
    });
    alarm('api-latency-p99', props.api.metricLatency({ period: settings.period, statistic: 'p99' }), {
      threshold: settings.apiLatencyP99Ms,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `The API's p99 latency is above ${settings.apiLatencyP99Ms} ms`,
    });

    this.dashboard = this.buildDashboard(props);
  }

  private buildDashboard(props: ObservabilityProps): cloudwatch.Dashboard {
    const { config, api } = props;
    const period = Duration.minutes(5);
    const functions = Object.entries(props.functions) as [FunctionName, lambda.IFunction][];
    const queuePairs = Object.entries(props.queues) as [QueueName, QueuePair][];
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: names(config).dashboard(),
      defaultInterval: Duration.hours(6),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Clearway ${config.country} (${config.stage})\nAPI, functions, queues and dead-letter queues of this stack set.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [
          api.metricCount({ period, statistic: 'Sum', label: 'Requests' }),
          api.metricClientError({ period, statistic: 'Sum', label: '4xx' }),
          api.metricServerError({ period, statistic: 'Sum', label: '5xx' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency',
        left: [
          api.metricLatency({ period, statistic: 'p50', label: 'p50' }),
          api.metricLatency({ period, statistic: 'p99', label: 'p99' }),
          api.metricIntegrationLatency({ period, statistic: 'p99', label: 'integration p99' }),
        ],
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors and throttles',
        left: functions.map(([name, fn]) =>
          fn.metricErrors({ period, statistic: 'Sum', label: `${name} errors` }),
        ),
        right: functions.map(([name, fn]) =>
          fn.metricThrottles({ period, statistic: 'Sum', label: `${name} throttles` }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p99 (ms)',
        left: functions.map(([name, fn]) => fn.metricDuration({ period, statistic: 'p99', label: name })),
        width: 12,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue backlog',
        left: queuePairs.map(([name, { queue }]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
        ),
        right: queuePairs.map(([name, { queue }]) =>
          queue.metricApproximateAgeOfOldestMessage({
            period,
            statistic: 'Maximum',
            label: `${name} oldest (s)`,
          }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues',
        left: queuePairs.map(([name, { deadLetterQueue }]) =>
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
            label: `${name} DLQ`,
          }),
        ),
        width: 12,
      }),
    );
    dashboard.addWidgets(...this.businessWidgets(props, period));
    return dashboard;
  }

  /**
   * The steps' business metrics (shared/business-metrics.ts): each graph line sums the series of the
   * functions that emit the metric (their `service` dimension), for this stack's country.
   */
  private businessWidgets(props: ObservabilityProps, period: Duration): cloudwatch.IWidget[] {
    const { country } = props.config;
    const currency = packFor(country).currency;
    const line = (
      metric: BusinessMetric,
      label: string,
      extra: Record<string, string> = {},
    ): cloudwatch.IMetric => {
      const series = Object.fromEntries(
        EMITTED_BY[metric].map((name) => [
          [metric, name, ...Object.values(extra)].join('_').toLowerCase(),
          new cloudwatch.Metric({
            namespace: POWERTOOLS_METRICS_NAMESPACE,
            metricName: BUSINESS_METRICS[metric],
            dimensionsMap: { service: props.functions[name].functionName, country, ...extra },
            statistic: 'Sum',
            period,
          }),
        ]),
      );
      return new cloudwatch.MathExpression({
        expression: Object.keys(series).join(' + '),
        usingMetrics: series,
        label,
        period,
      });
    };
    return [
      new cloudwatch.TextWidget({
        markdown:
          '## Business\nWhat the steps committed: lodgements, lanes, holds, releases, amounts assessed.',
        width: 24,
        height: 1,
      }),
      new cloudwatch.GraphWidget({
        title: 'Declarations accepted and refused at intake',
        left: [line('accepted', BUSINESS_METRICS.accepted), line('refused', BUSINESS_METRICS.refused)],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Risk lanes',
        left: LANES.map((lane) => line('riskLane', `${BUSINESS_METRICS.riskLane} ${lane}`, { lane })),
        stacked: true,
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Holds and releases',
        left: [
          line('holdsPlaced', BUSINESS_METRICS.holdsPlaced),
          line('holdsLifted', BUSINESS_METRICS.holdsLifted),
          line('releases', BUSINESS_METRICS.releases),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `Duty, taxes and fees assessed (${currency})`,
        left: [line('amountAssessed', `${BUSINESS_METRICS.amountAssessed} ${currency}`, { currency })],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Messages sent to dead-letter queues',
        left: [line('messagesToDlq', BUSINESS_METRICS.messagesToDlq)],
        width: 12,
      }),
    ];
  }
}
