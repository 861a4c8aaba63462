// Plays Lambda's event-source mappings on DynamoDB streams (topology `streamMappings`) against DynamoDB
// Local's streams: reads every shard in order, keeps the records the mapping's filter matches, invokes the
// handler with Lambda's DynamoDB stream event in batches, as many at once per shard as the mapping's
// parallelization factor (records of one partition key always in one lane, in order), retries a failing
// batch from its first failed record (halving it, as bisect does) and, after the mapping's retries, parks
// the records in its dead-letter queue.
//
// Its position survives a restart. Lambda checkpoints a shard once a batch succeeded, which is enough on
// AWS, where what the handler sent on (SQS) is durable. Locally SQS lives in this process and dies with
// it, so a position only moves past a record once the work it started is done: the item it carries no
// longer matches the filter, or the item the mapping names (`doneWhenWritten`: a declaration's outcome)
// exists in its partition. After a crash the
// records from there are read again; the consumers are idempotent. The positions are kept in a file
// next to DynamoDB Local's data; in memory nothing is kept.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { BatchGetItemCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type EventPattern, matchesPattern } from '../../shared/lib/event-pattern.js';
import { bucketOf } from '../../shared/lib/hash.js';
import {
  type FunctionName,
  functions,
  type QueueName,
  streamMappings,
  tables as tableSpecs,
} from '../../shared/topology.js';
import type { TableNames } from './dynamodb.js';
import { type FaultOptions, withFaults } from './faults.js';
import { invokeHandler, type LambdaHandler } from './lambda.js';
import { afterApiHeadStart, type BatchReport } from './poller.js';
import type { QueueResources } from './sqs.js';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, type Log, silentLog, sleep } from './util.js';

export interface StreamPollerMapping {
  functionName: string;
  tableName: string;
  /** The table's partition key: records of one partition keep their order. */
  partitionKey: string;
  batchSize: number;
  /** Batches of one shard handled at once; see `StreamMapping.parallelizationFactor`. */
  parallelizationFactor: number;
  filter: EventPattern;
  /** See `StreamMapping.doneWhenWritten`. */
  doneWhenWritten?: string;
  maxRetryAttempts: number;
  /** Where a record that outlasted the retries is parked, and the message that stands for it. */
  parkIn: { queueUrl: string; message: (image: Record<string, unknown>) => unknown };
  timeoutSeconds: number;
  memoryMb?: number;
  handler: LambdaHandler;
}

export interface StartStreamPollersOptions {
  dynamodb: DynamoDBClient;
  endpoint: string;
  sqs: SQSClient;
  mappings: StreamPollerMapping[];
  region?: string;
  log?: Log;
  onBatch?: (report: BatchReport) => void;
  faults?: FaultOptions;
  /** File keeping each shard's position; none in memory. */
  positionFile?: string;
  /** Pause between reads of a shard that had nothing new. */
  idlePollMs?: number;
  /** When the HTTP API began serving without a pause: a long request gets a head start (poller.ts). */
  servingSince?: () => number | undefined;
}

export interface StreamPollers {
  stop(): Promise<void>;
  /** Batches being processed, and records read but not yet handled. */
  inFlight(): number;
}

/**
 * The topology's stream mappings, resolved to tables and handlers; a record parked after every retry goes
 * to the dead-letter queue of the mapping's queue as `{declarationId}` (what `npm run redrive` moves back).
 */
export const topologyStreamMappings = (
  tables: TableNames,
  queues: Record<QueueName, Pick<QueueResources, 'dlqUrl'>>,
  handlers: Partial<Record<FunctionName, LambdaHandler>>,
  prefix?: string,
): StreamPollerMapping[] =>
  streamMappings.flatMap((mapping) => {
    const handler = handlers[mapping.function];
    if (!handler) return [];
    const spec = functions[mapping.function];
    return [
      {
        functionName: prefix ? `${prefix}-${mapping.function}` : mapping.function,
        tableName: tables[mapping.table],
        partitionKey: tableSpecs[mapping.table].partitionKey,
        batchSize: mapping.batchSize,
        parallelizationFactor: mapping.parallelizationFactor,
        filter: mapping.filter,
        ...(mapping.doneWhenWritten ? { doneWhenWritten: mapping.doneWhenWritten } : {}),
        maxRetryAttempts: mapping.maxRetryAttempts,
        parkIn: {
          queueUrl: queues[mapping.parkIn].dlqUrl,
          message: (image: Record<string, unknown>) => ({
            declarationId: (image.id as { S?: string } | undefined)?.S,
          }),
        },
        timeoutSeconds: spec.timeoutSeconds,
        memoryMb: spec.memoryMb,
        handler,
      },
    ];
  });

/** How often the positions of records handled are checked against their items and saved. */
const CHECKPOINT_MS = 500;
const READ_LIMIT = 1000;

type Image = Record<string, unknown>;

/** A record as Lambda hands it over: JSON, binary values base64, the creation time in epoch seconds. */
const toLambdaRecord = (record: StreamRecord, streamArn: string, region: string) =>
  JSON.parse(
    JSON.stringify(
      {
        ...record,
        awsRegion: region,
        eventSourceARN: streamArn,
        dynamodb: {
          ...record.dynamodb,
          ApproximateCreationDateTime:
            record.dynamodb?.ApproximateCreationDateTime instanceof Date
              ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
              : record.dynamodb?.ApproximateCreationDateTime,
        },
      },
      (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value),
    ),
  ) as Record<string, unknown>;

const matches = (filter: EventPattern, record: { eventName?: string; dynamodb?: { NewImage?: Image } }) =>
  matchesPattern(filter, { eventName: record.eventName, dynamodb: { NewImage: record.dynamodb?.NewImage } });

type Positions = Record<string, string>;

const readPositions = (file: string | undefined): Positions => {
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Positions;
  } catch {
    return {};
  }
};

/** A record read and handed on whose item may still need it; `key` is absent for a record not matched. */
interface Handled {
  sequence: string;
  key?: Record<string, unknown>;
}

export const startStreamPollers = (options: StartStreamPollersOptions): StreamPollers => {
  const region = options.region ?? LOCAL_REGION;
  const log = options.log ?? silentLog;
  const idlePollMs = options.idlePollMs ?? 50;
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
  });
  const stopController = new AbortController();
  const stopSignal = stopController.signal;
  const positions = readPositions(options.positionFile);
  let savedPositions = JSON.stringify(positions);
  let inFlight = 0;
  /** Per shard (`<table>/<shardId>`), records handled whose position is not yet saved, in order. */
  const unconfirmed = new Map<string, Handled[]>();

  const savePositions = () => {
    const text = JSON.stringify(positions);
    if (!options.positionFile || text === savedPositions) return;
    const temporary = `${options.positionFile}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, options.positionFile);
    savedPositions = text;
  };

  /** Moves each shard's position past the records whose items no longer need them. */
  const checkpoint = async (mapping: StreamPollerMapping) => {
    for (const [shard, handled] of unconfirmed) {
      if (!shard.startsWith(`${mapping.tableName}/`)) continue;
      const head = handled.slice(0, 100);
      const keyed = head.filter((entry) => entry.key);
      // The item that shows the work is done: the record's own, or the one named in its partition.
      const doneKey = (key: Record<string, unknown>) =>
        mapping.doneWhenWritten ? { pk: key.pk, sk: { S: mapping.doneWhenWritten } } : key;
      const current = new Map<string, Image>();
      if (keyed.length > 0) {
        const result = await options.dynamodb.send(
          new BatchGetItemCommand({
            RequestItems: {
              [mapping.tableName]: {
                Keys: keyed.map((entry) => doneKey(entry.key as Record<string, unknown>) as never),
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of result.Responses?.[mapping.tableName] ?? []) {
          current.set(JSON.stringify([item.pk, item.sk]), item as Image);
        }
        // Keys DynamoDB left unprocessed count as not confirmed this time.
      }
      let confirmed = 0;
      for (const entry of head) {
        if (entry.key) {
          const key = doneKey(entry.key);
          const item = current.get(JSON.stringify([key.pk, key.sk]));
          const pending = mapping.doneWhenWritten
            ? !item
            : item && matches(mapping.filter, { eventName: 'INSERT', dynamodb: { NewImage: item } });
          if (pending) break;
        }
        positions[shard] = entry.sequence;
        confirmed += 1;
      }
      handled.splice(0, confirmed);
    }
    savePositions();
  };

  const park = async (mapping: StreamPollerMapping, records: StreamRecord[]) => {
    for (const record of records) {
      await options.sqs.send(
        new SendMessageCommand({
          QueueUrl: mapping.parkIn.queueUrl,
          MessageBody: JSON.stringify(mapping.parkIn.message((record.dynamodb?.NewImage ?? {}) as Image)),
        }),
      );
    }
    log.warn(`${mapping.functionName}: parked ${records.length} stream record(s) after every retry`);
  };

  /** Hands `records` (all matched) to the handler as Lambda does, with its retries; returns when done. */
  const deliver = async (mapping: StreamPollerMapping, streamArn: string, records: StreamRecord[]) => {
    let pending = records;
    let attempts = 0;
    while (pending.length > 0 && !stopSignal.aborted) {
      // A retried batch is split in two each time, as bisect-on-error does, so one bad record is isolated.
      const size = Math.max(1, Math.ceil(Math.min(mapping.batchSize, pending.length) / 2 ** attempts));
      const batch = pending.slice(0, size);
      await afterApiHeadStart(options.servingSince, stopSignal);
      if (stopSignal.aborted) break;
      const sequences = batch.map((record) => record.dynamodb?.SequenceNumber ?? '');
      const started = Date.now();
      let failedFrom = -1;
      let error: string | undefined;
      inFlight += 1;
      try {
        const result = (await withFaults(options.faults, () =>
          invokeHandler(
            mapping.handler,
            { Records: batch.map((record) => toLambdaRecord(record, streamArn, region)) },
            {
              functionName: mapping.functionName,
              timeoutSeconds: mapping.timeoutSeconds,
              ...(mapping.memoryMb !== undefined ? { memoryMb: mapping.memoryMb } : {}),
              region,
              accountId: LOCAL_ACCOUNT_ID,
            },
          ),
        )) as { batchItemFailures?: { itemIdentifier?: string }[] } | undefined;
        const failed = new Set((result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
        // Lambda goes on from the lowest sequence number reported.
        failedFrom = sequences.findIndex((sequence) => failed.has(sequence));
        if (failed.size > 0 && failedFrom < 0) failedFrom = 0;
      } catch (thrown) {
        failedFrom = 0;
        error = thrown instanceof Error ? thrown.message : String(thrown);
        log.warn(`${mapping.functionName}: stream batch of ${batch.length} failed: ${error}`);
      } finally {
        inFlight -= 1;
      }
      const failedSequences = failedFrom < 0 ? [] : sequences.slice(failedFrom);
      options.onBatch?.({
        functionName: mapping.functionName,
        queueUrl: streamArn,
        source: 'stream',
        messageIds: sequences,
        failedMessageIds: failedSequences,
        receiveCounts: Object.fromEntries(sequences.map((sequence) => [sequence, attempts + 1])),
        outcome: failedFrom < 0 ? 'succeeded' : failedFrom === 0 && error ? 'failed' : 'partiallyFailed',
        ...(error ? { error } : {}),
        durationMs: Date.now() - started,
      });
      if (failedFrom < 0) {
        pending = pending.slice(batch.length);
        attempts = 0;
        continue;
      }
      pending = pending.slice(failedFrom);
      attempts += 1;
      if (attempts > mapping.maxRetryAttempts) {
        const parked = pending.slice(0, size - failedFrom);
        await park(mapping, parked);
        pending = pending.slice(parked.length);
        attempts = 0;
        continue;
      }
      await sleep(Math.min(500, 50 * 2 ** attempts), stopSignal).catch(() => undefined);
    }
  };

  /**
   * Hands a page's matched records on in `parallelizationFactor` lanes at once, as Lambda does: a record's
   * lane is a hash of its partition key, so the records of one item keep their order.
   */
  const deliverInLanes = async (mapping: StreamPollerMapping, streamArn: string, records: StreamRecord[]) => {
    const lanes = Array.from(
      { length: Math.max(1, mapping.parallelizationFactor) },
      () => [] as StreamRecord[],
    );
    for (const record of records) {
      const partition = JSON.stringify(record.dynamodb?.Keys?.[mapping.partitionKey] ?? '');
      lanes[bucketOf(partition, lanes.length)]?.push(record);
    }
    await Promise.all(
      lanes.filter((lane) => lane.length > 0).map((lane) => deliver(mapping, streamArn, lane)),
    );
  };

  const keyOf = (image: Image | undefined): Record<string, unknown> | undefined =>
    image ? { pk: image.pk, sk: image.sk } : undefined;

  const run = async (mapping: StreamPollerMapping) => {
    const description = await options.dynamodb.send(
      new DescribeTableCommand({ TableName: mapping.tableName }),
    );
    const streamArn = description.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`${mapping.tableName} has no stream`);
    const iterators = new Map<string, string | undefined>();
    const finished = new Set<string>();
    let lastCheckpoint = Date.now();
    let lastDescribe = 0;
    let shards: { id: string; parent?: string }[] = [];

    const iteratorFor = async (shardId: string): Promise<string | undefined> => {
      const position = positions[`${mapping.tableName}/${shardId}`];
      const request = position
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: position }
        : { ShardIteratorType: 'TRIM_HORIZON' as const };
      try {
        const result = await streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...request }),
        );
        return result.ShardIterator;
      } catch (error) {
        if (!(error instanceof TrimmedDataAccessException)) throw error;
        const result = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        return result.ShardIterator;
      }
    };

    while (!stopSignal.aborted) {
      try {
        if (Date.now() - lastDescribe > 2_000 || shards.length === 0) {
          const stream = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
          shards = (stream.StreamDescription?.Shards ?? []).map((shard) => ({
            id: shard.ShardId ?? '',
            ...(shard.ParentShardId ? { parent: shard.ParentShardId } : {}),
          }));
          lastDescribe = Date.now();
        }
        let read = 0;
        for (const shard of shards) {
          if (finished.has(shard.id) || stopSignal.aborted) continue;
          // A child shard is read once its parent is: records of one item stay in order.
          if (
            shard.parent &&
            shards.some((other) => other.id === shard.parent) &&
            !finished.has(shard.parent)
          )
            continue;
          const shardKey = `${mapping.tableName}/${shard.id}`;
          let iterator = iterators.get(shard.id) ?? (await iteratorFor(shard.id));
          if (!iterator) {
            finished.add(shard.id);
            continue;
          }
          let page: GetRecordsCommandOutput;
          try {
            page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: READ_LIMIT }));
          } catch (error) {
            // DynamoDB Local answers a shard's first read past its trim horizon this way at times (a fresh
            // table, a position from an earlier run): a new iterator reads on from where the records are.
            if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException))
              throw error;
            iterators.delete(shard.id);
            continue;
          }
          const records = page.Records ?? [];
          read += records.length;
          const matched = records.filter((record) =>
            matches(mapping.filter, record as { eventName?: string; dynamodb?: { NewImage?: Image } }),
          );
          inFlight += records.length;
          try {
            if (matched.length > 0) await deliverInLanes(mapping, streamArn, matched);
          } finally {
            inFlight -= records.length;
          }
          if (stopSignal.aborted) break;
          // In memory nothing outlives the process: there is no position to keep.
          const handled = options.positionFile ? (unconfirmed.get(shardKey) ?? []) : [];
          const matchedSequences = new Set(matched.map((record) => record.dynamodb?.SequenceNumber));
          for (const record of records) {
            const sequence = record.dynamodb?.SequenceNumber ?? '';
            const key = matchedSequences.has(sequence)
              ? keyOf(record.dynamodb?.NewImage as Image | undefined)
              : undefined;
            handled.push({ sequence, ...(key ? { key } : {}) });
          }
          unconfirmed.set(shardKey, handled);
          iterator = page.NextShardIterator;
          if (iterator) iterators.set(shard.id, iterator);
          else {
            iterators.delete(shard.id);
            finished.add(shard.id);
          }
        }
        if (options.positionFile && Date.now() - lastCheckpoint > CHECKPOINT_MS) {
          await checkpoint(mapping);
          lastCheckpoint = Date.now();
        }
        if (read === 0) await sleep(idlePollMs, stopSignal).catch(() => undefined);
      } catch (error) {
        if (stopSignal.aborted) break;
        log.warn(
          `${mapping.functionName}: reading the ${mapping.tableName} stream failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        iterators.clear();
        await sleep(1_000, stopSignal).catch(() => undefined);
      }
    }
    if (options.positionFile) await checkpoint(mapping).catch(() => undefined);
  };

  const running = options.mappings.map((mapping) =>
    run(mapping).catch((error: unknown) =>
      log.error(
        `${mapping.functionName}: the stream poller stopped: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ),
  );

  return {
    inFlight: () => inFlight,
    async stop() {
      stopController.abort();
      await Promise.all(running);
      streams.destroy();
    },
  };
};
