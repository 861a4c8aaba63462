// A UPU ITMATT (M33) message, in the rendering Clearway accepts (docs/itmatt.xsd), turned into the CN23
// data sets the JSON route takes. The XML itself is read by libxml2 (shared/adapters/itmatt-reader.ts):
// this module sees only the element tree of a message that was well-formed and valid against the
// schema, which bounds its depth and the counts of every element.

/** An element of a parsed message: its local name, attributes, child elements and text. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export class XmlRefusedError extends Error {}

const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/**
 * Refuses what must never reach an XML parser: document type and entity declarations. Refusing them up
 * front keeps out external entities and entity-expansion bombs, whatever a parser's defaults.
 */
export const refuseDeclarations = (xml: string): void => {
  if (DECLARATIONS.test(xml)) {
    throw new XmlRefusedError(
      'The message has a DOCTYPE or entity declaration; they are refused (no DTDs, no external or custom entities)',
    );
  }
};

const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((candidate) => candidate.name === name);

const list = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node?.children.filter((candidate) => candidate.name === name) ?? [];

/** A leaf's text, trimmed; absent elements stay undefined so the item schema says "is required". */
const leaf = (node: XmlNode | undefined, name: string): string | undefined => child(node, name)?.text.trim();

/** Whole numbers become numbers, anything else stays text for the item schema to refuse by name. */
const count = (text: string | undefined): number | string | undefined =>
  text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : text;

const compact = <T extends Record<string, unknown>>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;

const address = (node: XmlNode | undefined) =>
  compact({
    line1: leaf(node, 'Line1'),
    line2: leaf(node, 'Line2'),
    city: leaf(node, 'City'),
    postcode: leaf(node, 'Postcode'),
    country: leaf(node, 'Country'),
  });

const party = (node: XmlNode | undefined) => ({
  name: leaf(node, 'Name'),
  address: address(child(node, 'Address')),
});

const texts = (node: XmlNode, name: string): string[] | undefined => {
  const values = list(node, name).map((element) => element.text.trim());
  return values.length > 0 ? values : undefined;
};

/** One ITMATT item as the CN23 fields it fills (docs/postal-itmatt.md is the mapping, element by element). */
const toItem = (node: XmlNode): Record<string, unknown> => {
  const charges = child(node, 'Charges');
  const restrictions = list(node, 'Restriction').map((restriction) =>
    compact({ type: restriction.attributes.type, explanation: leaf(restriction, 'Explanation') }),
  );
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
    licenceNumbers: texts(node, 'LicenceNumber'),
    certificateNumbers: texts(node, 'CertificateNumber'),
    invoiceNumber: leaf(node, 'InvoiceNumber'),
  });
};

/** The items of a schema-valid ITMATT message, as the JSON route's `{items: [...]}` body. */
export const itmattItems = (root: XmlNode): { items: Record<string, unknown>[] } => ({
  items: list(root, 'Item').map(toItem),
});
