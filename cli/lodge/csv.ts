// Declarations as CSV: one row per goods item, grouped into declarations by `reference`. Columns are the
// declaration's fields by their JSON path (`consignee.address.city`); `item.*` columns belong to the row's
// item. Declaration-level cells may be left empty on a declaration's later rows.
import { stringify } from 'csv-stringify/sync';

export const DECLARATION_COLUMNS = [
  'reference',
  'importDate',
  'quoteId',
  'dispatchCountry',
  'destinationCountry',
  'channel',
  'transactionType',
  'collectionModel',
  'taxRegistration.scheme',
  'taxRegistration.number',
  'currency',
  'transportCost',
  'insuranceCost',
  'transportDocument',
  'seller.name',
  'seller.country',
  'seller.id',
  'consignee.name',
  'consignee.address.line1',
  'consignee.address.line2',
  'consignee.address.city',
  'consignee.address.postcode',
  'consignee.address.region',
  'consignee.address.country',
  'consignee.email',
  'consignee.taxId',
] as const;

export const ITEM_COLUMNS = [
  'item.description',
  'item.hsCode',
  'item.originCountry',
  'item.quantity',
  'item.value',
  'item.netMassKg',
  'item.category',
  'item.gtin',
  'item.productUrl',
] as const;

export const CSV_COLUMNS: readonly string[] = [...DECLARATION_COLUMNS, ...ITEM_COLUMNS];

/** Integer columns; every other cell is sent as the text it holds (money stays a decimal string). */
const INTEGER_COLUMNS = new Set(['item.quantity']);

type Json = Record<string, unknown>;

const setPath = (target: Json, path: readonly string[], value: unknown) => {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next === 'object' && next !== null) node = next as Json;
    else {
      const created: Json = {};
      node[key] = created;
      node = created;
    }
  }
  node[path[path.length - 1] as string] = value;
};

const cellValue = (column: string, cell: string): unknown =>
  INTEGER_COLUMNS.has(column) && /^\d+$/.test(cell) ? Number(cell) : cell;

export const unknownColumns = (header: readonly string[]): string[] =>
  header.filter((column) => !CSV_COLUMNS.includes(column));

export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvDeclaration {
  lines: number[];
  reference: string;
  declaration: Json;
  /** Rows of one declaration that disagree on a declaration-level cell. */
  problems: { path: string; message: string }[];
}

/** Groups rows by reference, in the order references first appear. */
export const declarationsFromRows = (rows: Iterable<CsvRow>): CsvDeclaration[] => {
  const byReference = new Map<string, CsvDeclaration & { firstSeen: Map<string, [string, number]> }>();
  for (const { line, cells } of rows) {
    const reference = cells.reference ?? '';
    let entry = byReference.get(reference);
    if (!entry) {
      entry = { lines: [], reference, declaration: { items: [] }, problems: [], firstSeen: new Map() };
      byReference.set(reference, entry);
    }
    entry.lines.push(line);
    const item: Json = {};
    for (const [column, cell] of Object.entries(cells)) {
      if (cell === '') continue;
      if (column.startsWith('item.')) {
        setPath(item, column.slice('item.'.length).split('.'), cellValue(column, cell));
        continue;
      }
      const seen = entry.firstSeen.get(column);
      if (seen && seen[0] !== cell) {
        entry.problems.push({
          path: column,
          message: `line ${line} gives "${cell}" but line ${seen[1]} of the same reference gave "${seen[0]}"`,
        });
        continue;
      }
      if (!seen) entry.firstSeen.set(column, [cell, line]);
      setPath(entry.declaration, column.split('.'), cellValue(column, cell));
    }
    (entry.declaration.items as Json[]).push(item);
  }
  return [...byReference.values()].map(({ firstSeen: _seen, ...entry }) => entry);
};

/** What `clearway lodge --template` prints: the header and a two-item declaration. */
export const csvTemplate = (): string => {
  const consignment = {
    reference: 'ORDER-10001',
    importDate: '2026-07-01',
    dispatchCountry: 'CN',
    destinationCountry: 'NL',
    channel: 'POST',
    transactionType: 'B2C',
    collectionModel: 'CONSUMER_AT_IMPORT',
    currency: 'EUR',
    transportCost: '5.00',
    insuranceCost: '0.00',
    'seller.name': 'Shenzhen Apparel Co',
    'seller.country': 'CN',
    'seller.id': 'SELLER-1',
    'consignee.name': 'Anna de Vries',
    'consignee.address.line1': 'Keizersgracht 1',
    'consignee.address.city': 'Amsterdam',
    'consignee.address.postcode': '1015 CJ',
    'consignee.address.country': 'NL',
    'consignee.email': 'anna@example.nl',
  };
  const rows = [
    {
      ...consignment,
      'item.description': "men's cotton T-shirt",
      'item.hsCode': '610910',
      'item.originCountry': 'CN',
      'item.quantity': '2',
      'item.value': '20.00',
      'item.netMassKg': '0.40',
      'item.category': 'SALE',
    },
    {
      reference: consignment.reference,
      'item.description': 'leather belt for men',
      'item.hsCode': '420330',
      'item.originCountry': 'CN',
      'item.quantity': '1',
      'item.value': '12.50',
      'item.netMassKg': '0.20',
    },
  ];
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
};
