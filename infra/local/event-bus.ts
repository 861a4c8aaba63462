// A local EventBridge bus: PutEvents over the AWS JSON 1.1 protocol (so the real
// @aws-sdk/client-eventbridge works through AWS_ENDPOINT_URL_EVENTBRIDGE), rules with event patterns
// compiled by the same matcher the risk engine uses, and SQS queues as targets.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { compilePattern, type EventMatcher, type EventPattern } from '../../shared/lib/event-pattern.js';
import { type QueueName, busRules as topologyBusRules } from '../../shared/topology.js';
import {
  BodyTooLargeError,
  freePort,
  LOCAL_ACCOUNT_ID,
  LOCAL_HOST,
  LOCAL_REGION,
  type Log,
  listen,
  readBody,
  silentLog,
  sleep,
} from './util.js';

/** A rule as the bus runs it: a pattern and the URL of the SQS queue it targets. */
export interface LocalBusRule {
  name: string;
  pattern: EventPattern;
  targetQueueUrl: string;
}

/** The event EventBridge delivers to targets. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface RecordedEvent {
  event: BusEvent;
  /** Names of the rules whose pattern matched. */
  matchedRules: string[];
  receivedAt: string;
}

export interface FailedDelivery {
  eventId: string;
  rule: string;
  targetQueueUrl: string;
  error: string;
}

export interface EventBusOptions {
  busName: string;
  rules: LocalBusRule[];
  /** The client used to deliver events to target queues. */
  sqs: SQSClient;
  port?: number;
  region?: string;
  accountId?: string;
  /** How many events `recentEvents()` keeps (oldest dropped first). */
  recentLimit?: number;
  log?: Log;
}

export interface LocalEventBus {
  readonly endpoint: string;
  readonly port: number;
  readonly busName: string;
  readonly busArn: string;
  /** The next `count` entries PutEvents receives fail with `InternalFailure` (FailedEntryCount > 0). */
  failNextEntries(count: number): void;
  /**
   * Every entry whose event matches `pattern` fails with `InternalFailure` until called again with
   * `undefined`: a publisher that keeps failing for some events, e.g. `{'detail-type': ['RiskAssessed']}`.
   */
  failEntriesMatching(pattern: EventPattern | undefined): void;
  /** Entries failed on purpose so far, and how many `failNextEntries` has still to fail. */
  injectedFailures(): { failed: number; pending: number };
  /** Events accepted by the bus, oldest first (bounded). */
  recentEvents(): RecordedEvent[];
  /** Deliveries to target queues that failed after retries (bounded). */
  failedDeliveries(): FailedDelivery[];
  clearRecentEvents(): void;
  stop(): Promise<void>;
}

/** The topology's rules for a country, resolved to queue URLs. */
export const topologyRules = (
  country: string,
  queueUrls: Record<QueueName, { url: string }>,
): LocalBusRule[] =>
  topologyBusRules.map((rule) => ({
    name: rule.name,
    pattern: rule.pattern(country),
    targetQueueUrl: queueUrls[rule.target.queue].url,
  }));

export class InvalidBusRuleError extends Error {
  constructor(rule: string, reason: string) {
    super(`Event bus rule ${rule} has an invalid event pattern: ${reason}`);
    this.name = 'InvalidBusRuleError';
  }
}

/** Compiles every rule's pattern once; an invalid pattern fails with the rule's name and the reason. */
export const compileRules = (rules: LocalBusRule[]): (LocalBusRule & { matches: EventMatcher })[] =>
  rules.map((rule) => {
    try {
      return { ...rule, matches: compilePattern(rule.pattern) };
    } catch (error) {
      throw new InvalidBusRuleError(rule.name, error instanceof Error ? error.message : String(error));
    }
  });

const MAX_ENTRIES = 10;
const MAX_TOTAL_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Control endpoints for tests and debugging; never part of the AWS API. */
export const CONTROL_PATH = '/_local';

interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
  TraceHeader?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const utf8Length = (value: unknown): number =>
  typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;

/** Entry size as EventBridge computes it ("Calculating PutEvents event entry size"). */
const entrySize = (entry: PutEventsEntry): number => {
  let size = entry.Time !== undefined ? 14 : 0;
  size += utf8Length(entry.Source) + utf8Length(entry.DetailType) + utf8Length(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += utf8Length(resource);
  return size;
};

/** The SDK sends timestamps as epoch seconds; accept ISO strings too. */
const eventTime = (value: unknown): string => {
  let date = new Date();
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value * 1000);
  else if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) date = new Date(value);
  return `${date.toISOString().slice(0, 19)}Z`;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (parameter: string, reason: string): EntryResult => ({
  ErrorCode: 'InvalidArgument',
  ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
});

/** Starts the bus endpoint on `port` (a free one when omitted). Throws at once on an invalid rule. */
export const startEventBus = async (options: EventBusOptions): Promise<LocalEventBus> => {
  const region = options.region ?? LOCAL_REGION;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const log = options.log ?? silentLog;
  const recentLimit = options.recentLimit ?? 500;
  const rules = compileRules(options.rules);
  const busName = options.busName;
  const busArn = `arn:aws:events:${region}:${accountId}:event-bus/${busName}`;

  let failuresToInject = 0;
  let failing: EventMatcher | undefined;
  let injected = 0;
  const recent: RecordedEvent[] = [];
  const failed: FailedDelivery[] = [];

  const acceptsBus = (name: unknown) => name === busName || name === busArn;

  const validateEntry = (entry: PutEventsEntry): EntryResult | { detail: Record<string, unknown> } => {
    if (typeof entry.Source !== 'string' || entry.Source.length === 0) {
      return invalid('Source', 'Source is a required argument.');
    }
    if (entry.Source.length > 256) return invalid('Source', 'Source is longer than 256 characters.');
    if (entry.Source.startsWith('aws.')) {
      return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
    }
    if (typeof entry.DetailType !== 'string' || entry.DetailType.length === 0) {
      return invalid('DetailType', 'DetailType is a required argument.');
    }
    if (entry.DetailType.length > 128)
      return invalid('DetailType', 'DetailType is longer than 128 characters.');
    if (typeof entry.Detail !== 'string' || entry.Detail.length === 0) {
      return invalid('Detail', 'Detail is a required argument.');
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (!isPlainObject(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    if (
      entry.Resources !== undefined &&
      !(Array.isArray(entry.Resources) && entry.Resources.every((r) => typeof r === 'string'))
    ) {
      return invalid('Resources', 'Resources must be a list of strings.');
    }
    return { detail };
  };

  const deliver = async (targetQueueUrl: string, items: { rule: string; event: BusEvent }[]) => {
    for (let start = 0; start < items.length; start += 10) {
      let pending = items.slice(start, start + 10);
      for (let attempt = 1; pending.length > 0; attempt++) {
        let lastError = '';
        try {
          const result = await options.sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: targetQueueUrl,
              Entries: pending.map((item, index) => ({
                Id: String(index),
                MessageBody: JSON.stringify(item.event),
              })),
            }),
          );
          const failedIds = new Set((result.Failed ?? []).map((entry) => entry.Id));
          lastError = (result.Failed ?? []).map((entry) => entry.Message ?? entry.Code).join('; ');
          pending = pending.filter((_, index) => failedIds.has(String(index)));
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
        }
        if (pending.length === 0) break;
        if (attempt >= 3) {
          for (const item of pending) {
            log.error(
              `Event ${item.event.id} not delivered by rule ${item.rule} to ${targetQueueUrl}: ${lastError}`,
            );
            failed.push({ eventId: item.event.id, rule: item.rule, targetQueueUrl, error: lastError });
            if (failed.length > recentLimit) failed.shift();
          }
          break;
        }
        await sleep(50 * attempt);
      }
    }
  };

  const putEvents = async (body: unknown) => {
    if (!isPlainObject(body) || !Array.isArray(body.Entries) || body.Entries.length === 0) {
      throw new ServiceError(
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    const entries = body.Entries as PutEventsEntry[];
    if (entries.length > MAX_ENTRIES) {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value '[...]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
      );
    }
    if (
      entries.reduce((total, entry) => total + entrySize(isPlainObject(entry) ? entry : {}), 0) >
      MAX_TOTAL_BYTES
    ) {
      throw new ServiceError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    for (const entry of entries) {
      const name = isPlainObject(entry) ? (entry.EventBusName ?? 'default') : 'default';
      if (!acceptsBus(name)) {
        throw new ServiceError('ResourceNotFoundException', `Event bus ${String(name)} does not exist.`);
      }
    }

    const results: EntryResult[] = [];
    const byTarget = new Map<string, { rule: string; event: BusEvent }[]>();
    const receivedAt = new Date().toISOString();
    const injectedFailure = {
      ErrorCode: 'InternalFailure',
      ErrorMessage: 'Injected failure (local event bus fault injection)',
    };
    for (const entry of entries) {
      if (failuresToInject > 0) {
        failuresToInject--;
        injected++;
        results.push(injectedFailure);
        continue;
      }
      const checked = validateEntry(isPlainObject(entry) ? entry : {});
      if (!('detail' in checked)) {
        results.push(checked);
        continue;
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: accountId,
        time: eventTime(entry.Time),
        region,
        resources: (entry.Resources as string[] | undefined) ?? [],
        detail: checked.detail,
      };
      if (failing?.(event)) {
        injected++;
        results.push(injectedFailure);
        continue;
      }
      const matchedRules: string[] = [];
      for (const rule of rules) {
        if (!rule.matches(event)) continue;
        matchedRules.push(rule.name);
        const list = byTarget.get(rule.targetQueueUrl) ?? [];
        list.push({ rule: rule.name, event });
        byTarget.set(rule.targetQueueUrl, list);
      }
      recent.push({ event, matchedRules, receivedAt });
      if (recent.length > recentLimit) recent.splice(0, recent.length - recentLimit);
      log.debug(`Event ${event['detail-type']} ${event.id} -> ${matchedRules.join(', ') || '(no rule)'}`);
      results.push({ EventId: event.id });
    }
    // Delivered before answering, so once PutEvents returns the messages are in their queues.
    await Promise.all([...byTarget].map(([url, items]) => deliver(url, items)));
    return {
      FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      Entries: results,
    };
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    payload: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': String(Buffer.byteLength(text)),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    res.end(text);
  };

  const sendError = (res: ServerResponse, error: ServiceError) =>
    sendJson(
      res,
      error.status,
      { __type: error.type, message: error.message },
      { 'x-amzn-errortype': error.type },
    );

  const control = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (req.method === 'GET' && path === `${CONTROL_PATH}/events`) {
      sendJson(res, 200, { events: recent, failedDeliveries: failed });
      return;
    }
    if (req.method === 'POST' && path === `${CONTROL_PATH}/fail-next-entries`) {
      const body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8') || '{}') as {
        count?: unknown;
      };
      const count = Number(body.count ?? 1);
      if (!Number.isInteger(count) || count < 0)
        throw new ServiceError('ValidationException', 'count must be an integer >= 0');
      failuresToInject = count;
      sendJson(res, 200, { failNextEntries: failuresToInject });
      return;
    }
    if (req.method === 'DELETE' && path === `${CONTROL_PATH}/events`) {
      recent.length = 0;
      failed.length = 0;
      sendJson(res, 200, {});
      return;
    }
    throw new ServiceError('UnknownOperationException', `No control operation ${req.method} ${path}`, 404);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path.startsWith(CONTROL_PATH)) {
      await control(req, res, path);
      return;
    }
    if (req.method !== 'POST')
      throw new ServiceError('UnknownOperationException', 'Only POST is supported', 404);
    const target = req.headers['x-amz-target'];
    const raw = await readBody(req, MAX_REQUEST_BYTES);
    if (target !== 'AWSEvents.PutEvents') {
      throw new ServiceError(
        'UnknownOperationException',
        `Operation ${String(target)} is not supported by the local event bus`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ServiceError('SerializationException', 'Request body is not valid JSON');
    }
    sendJson(res, 200, await putEvents(body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof ServiceError) sendError(res, error);
      else if (error instanceof BodyTooLargeError)
        sendError(res, new ServiceError('ValidationException', 'Request too large', 413));
      else {
        log.error('Local event bus failed', error);
        sendError(res, new ServiceError('InternalException', 'Internal failure', 500));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = options.port ?? (await freePort());
  await listen(server, port);
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  log.debug(`Event bus ${busName} listening on ${endpoint} with ${rules.length} rule(s)`);

  return {
    endpoint,
    port,
    busName,
    busArn,
    failNextEntries(count) {
      failuresToInject = count;
    },
    failEntriesMatching(pattern) {
      failing = pattern === undefined ? undefined : compilePattern(pattern);
    },
    injectedFailures: () => ({ failed: injected, pending: failuresToInject }),
    recentEvents: () => [...recent],
    failedDeliveries: () => [...failed],
    clearRecentEvents() {
      recent.length = 0;
      failed.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** For processes that only know the endpoint (e2e tests): the same fault hook over HTTP. */
export const failNextEntriesAt = async (endpoint: string, count: number): Promise<void> => {
  const response = await fetch(`${endpoint}${CONTROL_PATH}/fail-next-entries`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  if (!response.ok) throw new Error(`fail-next-entries answered ${response.status}`);
};

/** For processes that only know the endpoint: the bus's recent events. */
export const recentEventsAt = async (endpoint: string): Promise<RecordedEvent[]> => {
  const response = await fetch(`${endpoint}${CONTROL_PATH}/events`);
  if (!response.ok) throw new Error(`events answered ${response.status}`);
  return ((await response.json()) as { events: RecordedEvent[] }).events;
};
