// A metering proxy between the handlers and DynamoDB Local: every request is counted by operation and
// table, ReturnConsumedCapacity is asked for on every call, and write units are also recomputed as AWS
// bills them (each item rounded up to 1 KB, transactional writes at twice the units: DynamoDB Local sizes
// a transaction as a whole, which understates it).
import { startDynamoDbProxy } from '../../infra/local/dynamodb-proxy.js';
import { type TableName, tables as tableSpecs } from '../../shared/topology.js';

// Item sizes as DynamoDB bills them

type AttributeValue = Record<string, unknown>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

const valueSize = (value: AttributeValue): number => {
  if (typeof value.S === 'string') return utf8(value.S);
  if (typeof value.N === 'string') return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (typeof value.B === 'string') return Buffer.from(value.B, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if (Array.isArray(value.SS)) return (value.SS as string[]).reduce((total, item) => total + utf8(item), 0);
  if (Array.isArray(value.NS))
    return (value.NS as string[]).reduce((total, item) => total + item.length / 2 + 1, 0);
  if (Array.isArray(value.L))
    return 3 + (value.L as AttributeValue[]).reduce((total, item) => total + 1 + valueSize(item), 0);
  if (value.M && typeof value.M === 'object')
    return (
      3 +
      Object.entries(value.M as Record<string, AttributeValue>).reduce(
        (total, [name, item]) => total + utf8(name) + 1 + valueSize(item),
        0,
      )
    );
  return 0;
};

/** Bytes of an item in DynamoDB's JSON form: attribute names plus values. */
export const itemSize = (item: Record<string, AttributeValue> | undefined): number =>
  Object.entries(item ?? {}).reduce((total, [name, value]) => total + utf8(name) + valueSize(value), 0);

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/**
 * Size of an UpdateItem's item after the update is not in the request: estimated as its key plus every
 * value the expression writes, which holds for the small counters this project updates.
 */
const updateSize = (update: {
  Key?: Record<string, AttributeValue>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ExpressionAttributeNames?: Record<string, string>;
}) =>
  itemSize(update.Key) +
  Object.values(update.ExpressionAttributeNames ?? {}).reduce((total, name) => total + utf8(name), 0) +
  Object.values(update.ExpressionAttributeValues ?? {}).reduce((total, value) => total + valueSize(value), 0);

/**
 * A PartiQL INSERT (shared/adapters/statement-batch.ts) as the item it writes, with the table it names;
 * undefined for any other statement.
 */
const statementWrite = (statement: {
  Statement?: string;
  Parameters?: AttributeValue[];
}): { table: string; item: Record<string, AttributeValue> } | undefined => {
  const text = statement.Statement ?? '';
  const table = /^INSERT INTO "((?:[^"]|"")+)"/.exec(text)?.[1]?.replaceAll('""', '"');
  if (table === undefined) return undefined;
  const names = [...text.matchAll(/'((?:[^']|'')+)': \?/g)].map((match) =>
    (match[1] as string).replaceAll("''", "'"),
  );
  const parameters = statement.Parameters ?? [];
  return { table, item: Object.fromEntries(names.map((name, index) => [name, parameters[index] ?? {}])) };
};

// The meter

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'BatchExecuteStatement',
  'TransactWriteItems',
]);
const READ_OPERATIONS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);

export interface DynamoDbUsage {
  /** API calls by operation. */
  requests: Record<string, number>;
  /** Calls that write (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems). */
  writeRequests: number;
  /** Items written, by table. */
  itemsWritten: Record<string, number>;
  /**
   * Write units as AWS bills them, by table; `<table>:indexes` are the writes DynamoDB makes to the
   * table's global secondary indexes (one per index for each item written that the index holds, sized as
   * the index item: keys plus projected attributes, at the standard rate).
   */
  awsWriteUnits: Record<string, number>;
  /**
   * Write units as AWS bills them by partition family: `<table>:<key prefix>` (`declarations:DECL`,
   * `ledger:REV`...) and `<table>:<index>:<key prefix>` for index writes: what the scale model spreads
   * over partitions.
   */
  writeUnitsByFamily: Record<string, number>;
  /** Write and read capacity DynamoDB Local reported. */
  reportedWriteUnits: number;
  reportedReadUnits: number;
  /** Transactions that wrote to the ledger table, and what their ledger items cost. */
  ledgerTransactions: number;
  ledgerItems: number;
  ledgerWriteUnits: number;
  /** What DynamoDB Local reported for the ledger table in those transactions. */
  reportedLedgerWriteUnits: number;
  /**
   * What the other items of those transactions (the declaration state) cost on top of a plain write,
   * because they are transactional: the price of writing state and ledger atomically.
   */
  transactionalSurchargeUnits: number;
}

export const emptyUsage = (): DynamoDbUsage => ({
  requests: {},
  writeRequests: 0,
  itemsWritten: {},
  awsWriteUnits: {},
  writeUnitsByFamily: {},
  reportedWriteUnits: 0,
  reportedReadUnits: 0,
  ledgerTransactions: 0,
  ledgerItems: 0,
  ledgerWriteUnits: 0,
  reportedLedgerWriteUnits: 0,
  transactionalSurchargeUnits: 0,
});

const add = (record: Record<string, number>, key: string, amount: number) => {
  record[key] = (record[key] ?? 0) + amount;
};

type Json = Record<string, unknown>;

/** The physical names of the stack's tables, once the runtime has created them. */
export type LiveTables = () => Partial<Record<TableName, string>> | undefined;

/**
 * Units the index writes of one item put into `table` cost, one write per index that holds the item, by
 * index name and the index partition's key prefix (`byDay:DAY`, `byPlatform:PLATFORM`).
 */
const indexWriteUnitsByIndex = (
  live: LiveTables,
  table: string,
  item: Record<string, AttributeValue>,
): Record<string, number> => {
  const logical = Object.entries(live() ?? {}).find(([, physical]) => physical === table)?.[0] as
    | TableName
    | undefined;
  if (!logical) return {};
  const spec = tableSpecs[logical];
  const units: Record<string, number> = {};
  for (const index of spec.indexes) {
    const key = item[index.partitionKey] as { S?: string } | undefined;
    if (!key) continue;
    const copied = [spec.partitionKey, spec.sortKey, index.partitionKey, index.sortKey, ...index.projected];
    const indexItem = Object.fromEntries(
      Object.entries(item).filter(([name]) => copied.includes(name)),
    ) as Record<string, AttributeValue>;
    units[`${index.name}:${String(key.S ?? '').split('#')[0]}`] = writeUnits(itemSize(indexItem));
  }
  return units;
};

/** Accounts one request (and its response) as AWS would bill it. */
const meterRequest = (
  usage: DynamoDbUsage,
  operation: string,
  body: Json,
  response: Json,
  live: LiveTables,
) => {
  const ledgerTable = () => live()?.ledger;
  add(usage.requests, operation, 1);
  const capacities = ([] as Json[]).concat((response.ConsumedCapacity as Json | Json[] | undefined) ?? []);
  const reported = capacities.reduce(
    (total, capacity) =>
      total +
      Number(capacity.WriteCapacityUnits ?? capacity.ReadCapacityUnits ?? capacity.CapacityUnits ?? 0),
    0,
  );
  if (READ_OPERATIONS.has(operation)) usage.reportedReadUnits += reported;
  if (!WRITE_OPERATIONS.has(operation)) return;
  usage.writeRequests += 1;
  usage.reportedWriteUnits += reported;
  if (response.__type) return; // refused: a failed condition still costs, but the bench runs without conflicts
  const family = (key: Record<string, AttributeValue> | undefined) =>
    String((key?.pk as { S?: string } | undefined)?.S ?? '?').split('#')[0];
  const written = (table: string, units: number, key?: Record<string, AttributeValue>) => {
    add(usage.itemsWritten, table, 1);
    add(usage.awsWriteUnits, table, units);
    add(usage.writeUnitsByFamily, `${table}:${family(key)}`, units);
  };
  const indexed = (table: string, item: Record<string, AttributeValue>) => {
    const byIndex = Object.entries(indexWriteUnitsByIndex(live, table, item));
    const units = byIndex.reduce((total, [, indexUnits]) => total + indexUnits, 0);
    if (units > 0) add(usage.awsWriteUnits, `${table}:indexes`, units);
    for (const [index, indexUnits] of byIndex) add(usage.writeUnitsByFamily, `${table}:${index}`, indexUnits);
  };
  const table = String(body.TableName ?? '');
  switch (operation) {
    case 'PutItem':
      written(
        table,
        writeUnits(itemSize(body.Item as Record<string, AttributeValue>)),
        body.Item as Record<string, AttributeValue>,
      );
      indexed(table, body.Item as Record<string, AttributeValue>);
      break;
    case 'UpdateItem':
      written(
        table,
        writeUnits(updateSize(body as Parameters<typeof updateSize>[0])),
        body.Key as Record<string, AttributeValue>,
      );
      break;
    case 'DeleteItem':
      written(table, 1);
      break;
    case 'BatchWriteItem':
      for (const [name, requests] of Object.entries((body.RequestItems ?? {}) as Record<string, Json[]>)) {
        for (const request of requests) {
          const put = request.PutRequest as { Item?: Record<string, AttributeValue> } | undefined;
          written(name, put ? writeUnits(itemSize(put.Item)) : 1, put?.Item);
          if (put?.Item) indexed(name, put.Item);
        }
      }
      break;
    case 'BatchExecuteStatement': {
      const answers = (response.Responses ?? []) as Json[];
      ((body.Statements ?? []) as Parameters<typeof statementWrite>[0][]).forEach((statement, index) => {
        const write = statementWrite(statement);
        if (!write || answers[index]?.Error) return;
        written(write.table, writeUnits(itemSize(write.item)), write.item);
        indexed(write.table, write.item);
      });
      break;
    }
    case 'TransactWriteItems': {
      const items = (body.TransactItems ?? []) as Json[];
      const ledger = ledgerTable();
      const touchesLedger = items.some((item) =>
        Object.values(item).some((op) => (op as Json).TableName === ledger),
      );
      if (touchesLedger) {
        usage.ledgerTransactions += 1;
        for (const capacity of capacities)
          if (capacity.TableName === ledger)
            usage.reportedLedgerWriteUnits += Number(
              capacity.WriteCapacityUnits ?? capacity.CapacityUnits ?? 0,
            );
      }
      for (const item of items) {
        const [kind, op] = Object.entries(item)[0] as [string, Json];
        const name = String(op.TableName ?? '');
        const size =
          kind === 'Put'
            ? itemSize(op.Item as Record<string, AttributeValue>)
            : kind === 'Update'
              ? updateSize(op as Parameters<typeof updateSize>[0])
              : 1024;
        const units = 2 * writeUnits(size);
        written(name, units, (op.Item ?? op.Key) as Record<string, AttributeValue> | undefined);
        if (kind === 'Put') indexed(name, op.Item as Record<string, AttributeValue>);
        if (touchesLedger && name === ledger) {
          usage.ledgerItems += 1;
          usage.ledgerWriteUnits += units;
        } else if (touchesLedger) {
          usage.transactionalSurchargeUnits += units / 2;
        }
      }
      break;
    }
  }
};

export interface DynamoDbMeter {
  endpoint: string;
  usage(): DynamoDbUsage;
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A proxy in front of DynamoDB Local (infra/local/dynamodb-proxy.ts) that asks for consumed capacity on
 * every call and meters it. `live` names the stack's tables: the ledger's transactions count as the ledger
 * path, and the declarations table's indexes are billed with its writes.
 */
export const startDynamoDbMeter = async (target: string, live: LiveTables): Promise<DynamoDbMeter> => {
  let usage = emptyUsage();
  const proxy = await startDynamoDbProxy({
    target,
    onRequest: ({ operation, body }) =>
      (WRITE_OPERATIONS.has(operation) || READ_OPERATIONS.has(operation)) && !body.ReturnConsumedCapacity
        ? { body: { ...body, ReturnConsumedCapacity: 'TOTAL' } }
        : undefined,
    onResponse: ({ operation, body }, answer) => {
      try {
        meterRequest(usage, operation, body, answer.body, live);
      } catch {
        // an answer the meter cannot read is passed on unmetered
      }
      return undefined;
    },
  });
  return {
    endpoint: proxy.endpoint,
    usage: () => structuredClone(usage),
    reset: () => {
      usage = emptyUsage();
    },
    stop: () => proxy.stop(),
  };
};
