// A UPU ITMATT (M33) message, in the rendering Clearway accepts (docs/itmatt.xsd), turned into the CN23
// data sets the JSON route takes. The XML library is fast-xml-parser; what reaches it has been checked:
// no DOCTYPE or entity declaration (refusing them up front keeps out external entities and entity-
// expansion bombs, whatever a parser's defaults), at most 6 MB (the API's body limit), and valid against
// the schema (which bounds nesting and counts). The parser bounds nesting again on its own.
import { XMLParser } from 'fast-xml-parser';

export const ITMATT_NAMESPACE = 'urn:clearway:itmatt:1';
/** Deeper than any valid message (ITMATT/Item/Sender/Address/Line1 is five levels). */
export const MAX_XML_DEPTH = 12;

export class XmlRefusedError extends Error {}

const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** Refuses what must never reach an XML parser: document type and entity declarations. */
export const refuseDeclarations = (xml: string): void => {
  if (DECLARATIONS.test(xml)) {
    throw new XmlRefusedError(
      'The message has a DOCTYPE or entity declaration; they are refused (no DTDs, no external or custom entities)',
    );
  }
};

const REPEATED = new Set(['Item', 'ContentPiece', 'Restriction', 'LicenceNumber', 'CertificateNumber']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No entity may be declared (a DOCTYPE is refused above, and the parser would take none). References
  // are decoded only after libxml2 has checked the message against the schema, which refuses any
  // reference XML does not define, so what is decoded here is the five predefined entities and
  // character references (`&#233;`), which the parser decodes only with its HTML decoder switched on.
  processEntities: { enabled: true, maxEntityCount: 0, maxEntitySize: 0 },
  htmlEntities: true,
  maxNestedTags: MAX_XML_DEPTH,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

const child = (node: unknown, name: string): unknown =>
  node !== null && typeof node === 'object' ? (node as Node)[name] : undefined;

/** A leaf's text; absent elements stay undefined so the item schema says "is required". */
const leaf = (node: unknown, name: string): string | undefined => {
  const value = child(node, name);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // An element with attributes or children where text was expected: its text, if any.
  const text = child(value, '#text');
  return typeof text === 'string' ? text : '';
};

const list = (node: unknown, name: string): unknown[] => {
  const value = child(node, name);
  return Array.isArray(value) ? value : [];
};

/** Whole numbers become numbers, anything else stays text for the item schema to refuse by name. */
const count = (text: string | undefined): number | string | undefined =>
  text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : text;

const compact = <T extends Record<string, unknown>>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;

const address = (node: unknown) =>
  compact({
    line1: leaf(node, 'Line1'),
    line2: leaf(node, 'Line2'),
    city: leaf(node, 'City'),
    postcode: leaf(node, 'Postcode'),
    country: leaf(node, 'Country'),
  });

const party = (node: unknown) => ({ name: leaf(node, 'Name'), address: address(child(node, 'Address')) });

/** One ITMATT item as the CN23 fields it fills (docs/postal-itmatt.md is the mapping, element by element). */
const toItem = (node: unknown): Record<string, unknown> => {
  const charges = child(node, 'Charges');
  const restrictions = list(node, 'Restriction').map((restriction) =>
    compact({ type: child(restriction, '@type'), explanation: leaf(restriction, 'Explanation') }),
  );
  const licences = list(node, 'LicenceNumber').map((value) => leaf({ value }, 'value'));
  const certificates = list(node, 'CertificateNumber').map((value) => leaf({ value }, 'value'));
  const addressee = child(node, 'Addressee');
  return compact({
    itemId: leaf(node, 'ItemId'),
    postingDate: leaf(node, 'PostingDate'),
    sender: party(child(node, 'Sender')),
    addressee: compact({
      ...party(addressee),
      email: leaf(addressee, 'Email'),
      phone: leaf(addressee, 'Phone'),
    }),
    importerReference: leaf(node, 'ImporterReference'),
    category: leaf(node, 'Category'),
    categoryExplanation: leaf(node, 'CategoryExplanation'),
    currency: leaf(node, 'Currency'),
    postalCharges: leaf(charges, 'Postal'),
    insurance: leaf(charges, 'Insurance'),
    contents: list(node, 'ContentPiece').map((piece) =>
      compact({
        description: leaf(piece, 'Description'),
        quantity: count(leaf(piece, 'Quantity')),
        netWeightKg: leaf(piece, 'NetWeight'),
        value: leaf(piece, 'Value'),
        hsCode: leaf(piece, 'HsCode'),
        originCountry: leaf(piece, 'OriginCountry'),
      }),
    ),
    restrictions: restrictions.length > 0 ? restrictions : undefined,
    licenceNumbers: licences.length > 0 ? licences : undefined,
    certificateNumbers: certificates.length > 0 ? certificates : undefined,
    invoiceNumber: leaf(node, 'InvoiceNumber'),
  });
};

/** The items of a schema-valid ITMATT message, as the JSON route's `{items: [...]}` body. */
export const itmattItems = (xml: string): { items: Record<string, unknown>[] } => {
  refuseDeclarations(xml);
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    throw new XmlRefusedError(`The message is not well-formed XML: ${(error as Error).message}`);
  }
  return { items: list(child(document, 'ITMATT'), 'Item').map(toItem) };
};
