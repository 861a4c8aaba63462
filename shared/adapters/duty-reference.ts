// Loads the reference data the duty engine needs for a batch of declarations, in batched reads, and
// keeps the CN per-person annual totals.
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Declaration } from '../domain/declaration/declaration.js';
import type { AnnualUsage } from '../domain/duty/assess.js';
import {
  type AdminSurcharge,
  type AdminTaxRate,
  type AnnualTotal,
  type ExchangeRate,
  type ReferenceData,
  type TariffRate,
  type TaxRegistration,
  tariffPrefixes,
} from '../domain/duty/reference-data.js';
import { Decimal, sumMoney } from '../domain/money.js';
import type { ReferenceStore } from '../use-cases/ports/reference.js';
import { dynamoDb } from './aws-clients.js';
import { chunk, retryFailed } from './retry.js';
import type { TransactionWrite } from './transaction.js';

export interface DutyReference {
  shared: Omit<ReferenceData, 'annualTotal'>;
  /** Running totals by `<taxId>/<year>`, with the version each was read at. */
  annualTotals: Map<string, AnnualTotal & { version: number }>;
}

const annualKey = (taxId: string, year: number) => ({ pk: `ANNUAL#${taxId}`, sk: `Y#${year}` });

/** A stored surcharge version: the admin body, the id being the record's key. */
type StoredSurcharge = Omit<AdminSurcharge, 'code' | 'ruleVersion'>;

/**
 * The tariff rates, tax rates, exchange rates and registrations a set of declarations needs, in batched
 * reads, and the administration's surcharges (one listed partition).
 */
export const sharedReferenceLoader =
  (reference: ReferenceStore, stackCurrency: string) =>
  async (
    declarations: readonly Pick<Declaration, 'items' | 'currency' | 'taxRegistration'>[],
  ): Promise<DutyReference['shared']> => {
    const prefixes = declarations.flatMap((declaration) =>
      declaration.items.flatMap((item) => tariffPrefixes(item.hsCode)),
    );
    const [tariffs, taxRates, surcharges, rates, registrations] = await Promise.all([
      reference.getMany<Omit<TariffRate, 'hsCode'>>('TARIFF', prefixes),
      reference.getMany<Omit<AdminTaxRate, 'hsPrefix'>>('TAXRATE', prefixes),
      reference.listAll<StoredSurcharge>('SURCHARGE'),
      reference.getMany<Omit<ExchangeRate, 'currency'>>(
        'FX',
        declarations
          .map((declaration) => declaration.currency)
          .filter((currency) => currency !== stackCurrency),
      ),
      reference.getMany<Omit<TaxRegistration, 'number'>>(
        'TAXREG',
        declarations.flatMap((declaration) =>
          declaration.taxRegistration ? [declaration.taxRegistration.number] : [],
        ),
      ),
    ]);
    return {
      tariffRates: [...tariffs.values()].flatMap((record) =>
        record.versions.map((version) => ({ ...version, hsCode: record.key })),
      ),
      taxRates: [...taxRates.values()].flatMap((record) =>
        record.versions.map((version) => ({ ...version, hsPrefix: record.key })),
      ),
      surcharges: surcharges.flatMap((record) =>
        record.versions.map((version) => ({ ...version, code: record.key })),
      ),
      exchangeRates: [...rates.values()].flatMap((record) =>
        record.versions.map((version) => ({ ...version, currency: record.key })),
      ),
      taxRegistrations: [...registrations.values()].flatMap((record) =>
        record.versions.map((version) => ({ ...version, number: record.key })),
      ),
    };
  };

export const dutyReferenceLoader =
  (
    reference: ReferenceStore,
    stackCurrency: string,
    declarationsTable: string,
    client: DynamoDBDocumentClient = dynamoDb(),
  ) =>
  async (declarations: Declaration[], dates: string[]): Promise<DutyReference> => {
    const shared = await sharedReferenceLoader(reference, stackCurrency)(declarations);
    const annualTotals = new Map<string, AnnualTotal & { version: number }>();
    const wanted = new Map<string, { taxId: string; year: number }>();
    declarations.forEach((declaration, index) => {
      const taxId = declaration.consignee.taxId;
      const year = Number((dates[index] ?? '').slice(0, 4));
      if (taxId && year) wanted.set(`${taxId}/${year}`, { taxId, year });
      if (taxId && year) annualTotals.set(`${taxId}/${year}`, { taxId, year, amount: '0', version: 0 });
    });
    for (const group of chunk([...wanted.values()], 100)) {
      await retryFailed(
        group.map(({ taxId, year }) => annualKey(taxId, year)),
        async (keys) => {
          const response = await client.send(
            new BatchGetCommand({
              RequestItems: { [declarationsTable]: { Keys: keys, ConsistentRead: true } },
            }),
          );
          for (const item of response.Responses?.[declarationsTable] ?? []) {
            const taxId = String(item.taxId);
            const year = Number(item.year);
            annualTotals.set(`${taxId}/${year}`, {
              taxId,
              year,
              amount: String(item.amount),
              version: Number(item.version),
            });
          }
          return (response.UnprocessedKeys?.[declarationsTable]?.Keys ?? []) as typeof keys;
        },
        'BatchGetItem',
      );
    }
    return { shared, annualTotals };
  };

/** The engine's reference data for one declaration: the batch's shared data plus its consignee's total. */
export const referenceFor = (
  reference: DutyReference,
  declaration: Declaration,
  date: string,
): ReferenceData => {
  const taxId = declaration.consignee.taxId;
  const total = taxId ? reference.annualTotals.get(`${taxId}/${Number(date.slice(0, 4))}`) : undefined;
  return { ...reference.shared, ...(total ? { annualTotal: total } : {}) };
};

/**
 * Adds a consignment to its consignee's annual total, conditional on the total read, so two concurrent
 * consignments cannot both fit into the same remaining allowance. Also advances the batch's copy, so a
 * later declaration of the same consignee in the batch sees it.
 */
export const annualUsageWrite = (
  reference: DutyReference,
  usage: AnnualUsage,
  table: string,
): TransactionWrite => {
  const mapKey = `${usage.taxId}/${usage.year}`;
  const current = reference.annualTotals.get(mapKey) ?? {
    taxId: usage.taxId,
    year: usage.year,
    amount: '0',
    version: 0,
  };
  const next = {
    ...current,
    amount: sumMoney([current.amount, usage.amount]).toString(),
    version: current.version + 1,
  };
  reference.annualTotals.set(mapKey, next);
  return {
    Put: {
      TableName: table,
      Item: {
        ...annualKey(usage.taxId, usage.year),
        taxId: usage.taxId,
        year: usage.year,
        amount: next.amount,
        version: next.version,
      },
      ConditionExpression: current.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
      ...(current.version === 0 ? {} : { ExpressionAttributeValues: { ':version': current.version } }),
    },
  };
};

/**
 * Gives back what a consignment counted toward its consignee's annual total when its debt ends
 * (cancelled, rejected, seized): the total read now, less the amount, conditional on the version read,
 * so a concurrent assessment or release makes the whole transaction retry on fresh state.
 */
export const annualRelease =
  (table: string, client: DynamoDBDocumentClient = dynamoDb()) =>
  async (usage: AnnualUsage): Promise<TransactionWrite[]> => {
    const key = annualKey(usage.taxId, usage.year);
    const current = await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
    if (!current.Item) return [];
    const version = Number(current.Item.version);
    const left = Decimal.max(new Decimal(String(current.Item.amount)).minus(usage.amount), 0);
    return [
      {
        Put: {
          TableName: table,
          Item: {
            ...key,
            taxId: usage.taxId,
            year: usage.year,
            amount: left.toString(),
            version: version + 1,
          },
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': version },
        },
      },
    ];
  };
