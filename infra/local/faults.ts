// Opt-in fault injection for the local runtime, so tests can show that every consumer stays
// exactly-once under what SQS, Lambda and DynamoDB do on AWS: deliver a message more than once, lose an
// invocation after its writes but before its messages are deleted, and throttle DynamoDB calls (a proxy
// between the handlers and DynamoDB Local answers a share of them as DynamoDB does; dynamodb-proxy.ts).
//   CLEARWAY_FAULTS=duplicate-delivery,crash-after-write:0.2,dynamodb-throttle:0.1
// Off unless asked for; the runtime prints the faults in force when it starts.

export interface FaultOptions {
  /** Every batch is delivered twice: to a second invocation, at the same time or right after the first. */
  duplicateDelivery?: boolean;
  /**
   * Share (0..1) of invocations that fail after the handler returned (every write done), as if the
   * function crashed before Lambda deleted the messages: the whole batch is received again later.
   */
  crashAfterWrite?: number;
  /**
   * Share (0..1) of the handlers' DynamoDB calls refused with ProvisionedThroughputExceededException or
   * ThrottlingException (half each); the SDK retries them, what outlasts its retries fails the record.
   */
  dynamoDbThrottle?: number;
  /** Source of randomness (tests pass a seeded one). */
  random?: () => number;
}

export class InjectedCrashError extends Error {
  constructor() {
    super('Injected fault: the invocation crashed after its writes');
    this.name = 'InjectedCrashError';
  }
}

const share = (name: string, value: string | undefined): number => {
  const parsed = value === undefined ? 0.1 : Number(value);
  if (!(parsed >= 0 && parsed <= 1)) throw new Error(`${name} takes a share from 0 to 1, got "${value}"`);
  return parsed;
};

/** Reads `duplicate-delivery,crash-after-write:0.2,dynamodb-throttle:0.1`; undefined for an empty spec. */
export const parseFaults = (spec: string | undefined): FaultOptions | undefined => {
  if (spec === undefined || spec.trim() === '') return undefined;
  const faults: FaultOptions = {};
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [name, value] = part.split(':') as [string, string | undefined];
    if (name === 'duplicate-delivery' && value === undefined) faults.duplicateDelivery = true;
    else if (name === 'crash-after-write') faults.crashAfterWrite = share(name, value);
    else if (name === 'dynamodb-throttle') faults.dynamoDbThrottle = share(name, value);
    else {
      throw new Error(
        `Unknown fault "${part}" in CLEARWAY_FAULTS; known: duplicate-delivery, crash-after-write:<share 0..1>, dynamodb-throttle:<share 0..1>`,
      );
    }
  }
  return faults;
};

export const describeFaults = (faults: FaultOptions): string =>
  [
    ...(faults.duplicateDelivery ? ['every queue message delivered twice'] : []),
    ...(faults.crashAfterWrite
      ? [`${Math.round(faults.crashAfterWrite * 100)}% of invocations crash after writing`]
      : []),
    ...(faults.dynamoDbThrottle
      ? [`${Math.round(faults.dynamoDbThrottle * 100)}% of the handlers' DynamoDB calls throttled`]
      : []),
  ].join('; ');

/**
 * Invokes a batch as the faults say: `invoke` runs the handler once; the result is the first delivery's
 * (a crash counts as its failure); a duplicate delivery runs alongside or right after and only its side
 * effects count.
 */
export const withFaults = async <T>(
  faults: FaultOptions | undefined,
  invoke: () => Promise<T>,
): Promise<T> => {
  if (!faults) return invoke();
  const random = faults.random ?? Math.random;
  const once = async () => {
    const result = await invoke();
    if (faults.crashAfterWrite && random() < faults.crashAfterWrite) throw new InjectedCrashError();
    return result;
  };
  if (!faults.duplicateDelivery) return once();
  if (random() < 0.5) {
    const [first] = await Promise.allSettled([once(), once()]);
    if (first.status === 'rejected') throw first.reason;
    return first.value;
  }
  try {
    return await once();
  } finally {
    await once().catch(() => undefined);
  }
};
