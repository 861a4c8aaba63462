// An HTTP proxy in front of DynamoDB Local that sees every call of the clients pointed at it: the
// benchmark meters through it, and fault injection answers some calls the way DynamoDB does when it
// throttles, cancels a transaction for a conflict or loses an answer. Put it between the handlers and
// DynamoDB Local with the runtime's `handlerDynamoDbEndpoint` option (or CLEARWAY_FAULTS, see faults.ts).
//
//   const proxy = await startDynamoDbProxy({ target: endpoint, ...dynamoDbFaults([...]).hooks });
import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { LOCAL_HOST } from './util.js';

export type Json = Record<string, unknown>;

/** One DynamoDB API call as the proxy sees it. */
export interface DynamoDbCall {
  /** The operation, from X-Amz-Target: `PutItem`, `TransactWriteItems`, ... */
  operation: string;
  /** The request body; `{}` when it is not JSON. */
  body: Json;
}

/** An answer to a call: what DynamoDB said, or what the proxy says in its place. */
export interface DynamoDbAnswer {
  status: number;
  body: Json;
}

export interface DynamoDbProxyOptions {
  /** The DynamoDB endpoint calls are forwarded to. */
  target: string;
  /**
   * Called before a call is forwarded. Return `{ answer }` to answer in DynamoDB's place (DynamoDB never
   * sees the call), `{ body }` to forward a rewritten body, or nothing to forward it as it is.
   */
  onRequest?: (call: DynamoDbCall) => { answer: DynamoDbAnswer } | { body: Json } | undefined;
  /**
   * Called with DynamoDB's answer (`body` is `{}` when it is not JSON). Return an answer to send the
   * client instead: the call happened, the client is told otherwise (an answer lost after a write).
   */
  onResponse?: (call: DynamoDbCall, answer: DynamoDbAnswer) => DynamoDbAnswer | undefined;
}

export interface DynamoDbProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** The `__type` prefix of DynamoDB's own exceptions in its JSON error bodies. */
const DYNAMODB_ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

export interface DynamoDbErrorOptions {
  /** HTTP status; 400 unless given (DynamoDB answers 500 only for its own failures). */
  status?: number;
  /** The `__type` namespace; DynamoDB's own unless given (ThrottlingException comes from another). */
  namespace?: string;
  /** More fields of the error body, e.g. `CancellationReasons`. */
  extra?: Json;
}

/** An error answer in DynamoDB's JSON shape: `{"__type": "<namespace>#<name>", "message": ...}`. */
export const dynamoDbError = (
  name: string,
  message: string,
  options: DynamoDbErrorOptions = {},
): DynamoDbAnswer => ({
  status: options.status ?? 400,
  body: {
    __type: `${options.namespace ?? DYNAMODB_ERROR_NAMESPACE}#${name}`,
    message,
    ...options.extra,
  },
});

const sendJson = (res: ServerResponse, answer: DynamoDbAnswer, headers: IncomingHttpHeaders = {}) => {
  const text = Buffer.from(JSON.stringify(answer.body));
  const forwarded = { ...headers };
  for (const name of ['content-length', 'content-encoding', 'transfer-encoding', 'x-amz-crc32']) {
    delete forwarded[name];
  }
  res.writeHead(answer.status, {
    ...forwarded,
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(text.length),
    'x-amzn-requestid': String(headers['x-amzn-requestid'] ?? randomUUID()),
  });
  res.end(text);
};

/** Starts the proxy on a free port of 127.0.0.1. */
export const startDynamoDbProxy = async (options: DynamoDbProxyOptions): Promise<DynamoDbProxy> => {
  const upstream = new URL(options.target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      let payload = Buffer.concat(chunks);
      let body: Json = {};
      try {
        body = JSON.parse(payload.toString('utf8') || '{}') as Json;
      } catch {
        // not JSON: forwarded as it is
      }
      const call: DynamoDbCall = { operation, body };
      const decision = options.onRequest?.(call);
      if (decision && 'answer' in decision) {
        sendJson(res, decision.answer);
        return;
      }
      if (decision && 'body' in decision) {
        call.body = decision.body;
        payload = Buffer.from(JSON.stringify(decision.body));
      }
      const headers: IncomingHttpHeaders = {
        ...req.headers,
        host: upstream.host,
        'content-length': String(payload.length),
      };
      // Answers come back uncompressed, so they can be read (and their CRC32 header stays right).
      delete headers['accept-encoding'];
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            let parsed: Json = {};
            try {
              parsed = JSON.parse(text.toString('utf8') || '{}') as Json;
            } catch {
              // not JSON: the hook sees an empty body
            }
            const replaced = options.onResponse?.(call, { status: answer.statusCode ?? 500, body: parsed });
            if (replaced) {
              sendJson(res, replaced, answer.headers);
              return;
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(text);
          });
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
      forward.end(payload);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, LOCAL_HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

// ---------------------------------------------------------------------------------------------------
// Fault injection

/**
 * What a faulty call gets, each in DynamoDB's own wire shape:
 * - `ProvisionedThroughputExceededException`, `ThrottlingException`: HTTP 400, refused before any work;
 *   the SDK retries both with backoff.
 * - `TransactionCanceled`: a TransactWriteItems cancelled (TransactionCanceledException, HTTP 400) with
 *   `TransactionConflict` (or the `cancellation` given, e.g. `ThrottlingError`) on its counter updates
 *   (or the writes `cancels` picks) and `None` on the others, as when another transaction holds a hot
 *   item at the same moment; the SDK does not retry it.
 * - `InternalServerError`: HTTP 500; the SDK retries it.
 */
export type DynamoDbFaultKind =
  | 'ProvisionedThroughputExceededException'
  | 'ThrottlingException'
  | 'TransactionCanceled'
  | 'InternalServerError';

export interface DynamoDbFaultRule {
  fault: DynamoDbFaultKind;
  /** Share (0..1) of the matching calls that get the fault; default 1. */
  share?: number;
  /** Operations the rule applies to; default every one. */
  operations?: readonly string[];
  /** Only calls this accepts, e.g. the ones that name a given declaration. */
  matches?: (call: DynamoDbCall) => boolean;
  /** At most this many faults; then the rule is spent. */
  limit?: number;
  /**
   * At most this many faults for each distinct request (the same body sent again, as a retry sends it,
   * counts as the same request): e.g. 2 fails every matching call twice and lets its third attempt
   * through, like a conflict that clears.
   */
  timesEach?: number;
  /**
   * `request` (default): DynamoDB never sees the call. `response`: DynamoDB does the work and the client
   * gets the fault instead of the answer, as when an answer is lost after a write committed.
   */
  at?: 'request' | 'response';
  /** For `TransactionCanceled`: the reason given for the writes `cancels` picks. */
  cancellation?: 'TransactionConflict' | 'ThrottlingError';
  /** For `TransactionCanceled`: the writes the cancellation names; default the Update writes (counters). */
  cancels?: (write: Json) => boolean;
}

export interface DynamoDbFaults {
  /** The rules in force; change the array to switch faults on and off while calls flow. */
  rules: DynamoDbFaultRule[];
  /** Faults injected so far, by kind. */
  injected(): Partial<Record<DynamoDbFaultKind, number>>;
  /** Faults a rule injected so far. */
  injectedBy(rule: DynamoDbFaultRule): number;
  /** Calls seen so far, by operation. */
  calls(): Record<string, number>;
  /** The proxy hooks that apply the rules. */
  hooks: Pick<DynamoDbProxyOptions, 'onRequest' | 'onResponse'>;
}

const isUpdate = (write: Json) => 'Update' in write;

const CANCELLATION_MESSAGES = {
  TransactionConflict: 'Transaction is ongoing for the item',
  ThrottlingError: 'Throughput exceeds the current capacity of your table or index.',
} as const;

const faultAnswer = (rule: DynamoDbFaultRule, call: DynamoDbCall): DynamoDbAnswer => {
  switch (rule.fault) {
    case 'ProvisionedThroughputExceededException':
      return dynamoDbError(
        'ProvisionedThroughputExceededException',
        'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
      );
    case 'ThrottlingException':
      return dynamoDbError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', {
        namespace: 'com.amazon.coral.availability',
      });
    case 'InternalServerError':
      return dynamoDbError('InternalServerError', 'Internal server error', { status: 500 });
    case 'TransactionCanceled': {
      const writes = Array.isArray(call.body.TransactItems) ? (call.body.TransactItems as Json[]) : [];
      const cancels = rule.cancels ?? isUpdate;
      const code = rule.cancellation ?? 'TransactionConflict';
      const reasons = writes.map((write) =>
        cancels(write) ? { Code: code, Message: CANCELLATION_MESSAGES[code] } : { Code: 'None' },
      );
      return dynamoDbError(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons
          .map((reason) => reason.Code)
          .join(', ')}]`,
        { extra: { CancellationReasons: reasons } },
      );
    }
  }
};

/** Rules applied by a proxy: `startDynamoDbProxy({ target, ...faults.hooks })`. */
export const dynamoDbFaults = (
  rules: DynamoDbFaultRule[] = [],
  random: () => number = Math.random,
): DynamoDbFaults => {
  const injected: Partial<Record<DynamoDbFaultKind, number>> = {};
  const calls: Record<string, number> = {};
  const used = new WeakMap<DynamoDbFaultRule, number>();
  const usedOn = new WeakMap<DynamoDbFaultRule, Map<string, number>>();
  /** A request's identity across retries: its body without the SDK's per-call idempotency token. */
  const requestKey = (call: DynamoDbCall) => {
    const { ClientRequestToken: _token, ...rest } = call.body;
    return `${call.operation} ${JSON.stringify(rest)}`;
  };
  const faults: DynamoDbFaults = {
    rules,
    injected: () => ({ ...injected }),
    injectedBy: (rule) => used.get(rule) ?? 0,
    calls: () => ({ ...calls }),
    hooks: {},
  };
  const pick = (call: DynamoDbCall, at: 'request' | 'response') => {
    for (const rule of faults.rules) {
      if ((rule.at ?? 'request') !== at) continue;
      if (rule.operations && !rule.operations.includes(call.operation)) continue;
      if (rule.fault === 'TransactionCanceled' && call.operation !== 'TransactWriteItems') continue;
      if (rule.limit !== undefined && (used.get(rule) ?? 0) >= rule.limit) continue;
      if (rule.matches && !rule.matches(call)) continue;
      let seen: Map<string, number> | undefined;
      const key = rule.timesEach === undefined ? '' : requestKey(call);
      if (rule.timesEach !== undefined) {
        seen = usedOn.get(rule) ?? new Map<string, number>();
        usedOn.set(rule, seen);
        if ((seen.get(key) ?? 0) >= rule.timesEach) continue;
      }
      if (random() >= (rule.share ?? 1)) continue;
      seen?.set(key, (seen.get(key) ?? 0) + 1);
      used.set(rule, (used.get(rule) ?? 0) + 1);
      injected[rule.fault] = (injected[rule.fault] ?? 0) + 1;
      return faultAnswer(rule, call);
    }
    return undefined;
  };
  faults.hooks = {
    onRequest: (call) => {
      calls[call.operation] = (calls[call.operation] ?? 0) + 1;
      const answer = pick(call, 'request');
      return answer ? { answer } : undefined;
    },
    // Only a call that succeeded can lose its answer.
    onResponse: (call, answer) => (answer.status === 200 ? pick(call, 'response') : undefined),
  };
  return faults;
};

/** Throttling of a share of every call, half ProvisionedThroughputExceeded, half ThrottlingException. */
export const throttlingRules = (share: number): DynamoDbFaultRule[] => [
  { fault: 'ProvisionedThroughputExceededException', share: share / 2 },
  // Of what the first rule let through, the same absolute share again.
  { fault: 'ThrottlingException', share: share / 2 / (1 - share / 2) },
];
