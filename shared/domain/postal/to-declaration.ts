// What a CN23 data set means in Clearway's terms: the declaration a postal item becomes. The category
// decides the transaction and each line's relief category (the packs grant the reliefs); the importer
// reference is the tax registration; postal charges and insurance are the transport and insurance costs
// the pack's valuation basis adds to the customs value (CIF) or leaves out (FOB).
import type { Declaration } from '../declaration/declaration.js';
import type { PostalCategory, PostalItem } from './cn23.js';
import type { PostalFacts } from './facts.js';

type TransactionType = Declaration['transactionType'];
type ItemCategory = NonNullable<Declaration['items'][number]['category']>;
type TaxScheme = NonNullable<Declaration['taxRegistration']>['scheme'];

export const CATEGORY_SEMANTICS: Record<
  PostalCategory,
  { transactionType: TransactionType; itemCategory: ItemCategory }
> = {
  SALE_OF_GOODS: { transactionType: 'B2C', itemCategory: 'SALE' },
  GIFT: { transactionType: 'C2C', itemCategory: 'GIFT' },
  COMMERCIAL_SAMPLE: { transactionType: 'B2B', itemCategory: 'SAMPLE' },
  DOCUMENTS: { transactionType: 'C2C', itemCategory: 'DOCUMENTS' },
  RETURNED_GOODS: { transactionType: 'RETURN', itemCategory: 'RETURN' },
  // Assessed as a sale until an officer has read the explanation (a built-in profile holds it).
  OTHER: { transactionType: 'B2C', itemCategory: 'SALE' },
};

/** Documents sent without an HS code: HS 4911.99, printed matter not elsewhere specified. */
export const DOCUMENTS_HS_CODE = '491199';
/**
 * A gift sent without an HS code: "commodities not specified according to kind", the code no goods are
 * classified in. The item is held for an officer to classify (BUILTIN-POSTAL-UNCLASSIFIED).
 */
export const UNCLASSIFIED_HS_CODE = '999999';

/** The collection scheme an importer reference names, by the number's published format. */
export const schemeOf = (reference: string): TaxScheme => {
  const number = reference.replace(/\s/g, '').toUpperCase();
  if (/^IM\d{10}$/.test(number)) return 'IOSS';
  if (/^GB(\d{9}|\d{12})$/.test(number)) return 'GB_VAT';
  if (/^VOEC\d{7}$/.test(number)) return 'NO_VOEC';
  if (/^(ARN)?\d{12}$/.test(number)) return 'AU_GST';
  return 'OTHER';
};

export const toDeclaration = (item: PostalItem): Declaration => {
  const semantics = CATEGORY_SEMANTICS[item.category];
  const unclassifiedLines: number[] = [];
  const items = item.contents.map((piece, index): Declaration['items'][number] => {
    let code = piece.hsCode;
    if (code === undefined) {
      if (item.category === 'DOCUMENTS') code = DOCUMENTS_HS_CODE;
      else {
        code = UNCLASSIFIED_HS_CODE;
        unclassifiedLines.push(index + 1);
      }
    }
    return {
      description: piece.description,
      hsCode: code,
      // CN23 practice: without a declared origin the goods are taken to originate where they were posted.
      originCountry: piece.originCountry ?? item.sender.address.country,
      quantity: piece.quantity,
      value: piece.value,
      netMassKg: piece.netWeightKg,
      category: semantics.itemCategory,
    };
  });

  const postal: PostalFacts = {
    itemId: item.itemId,
    postingDate: item.postingDate,
    category: item.category,
  };
  if (item.categoryExplanation !== undefined) postal.categoryExplanation = item.categoryExplanation;
  if (item.restrictions !== undefined) postal.restrictions = item.restrictions;
  if (item.licenceNumbers !== undefined) postal.licenceNumbers = item.licenceNumbers;
  if (item.certificateNumbers !== undefined) postal.certificateNumbers = item.certificateNumbers;
  if (item.invoiceNumber !== undefined) postal.invoiceNumber = item.invoiceNumber;
  if (item.addressee.phone !== undefined) postal.addresseePhone = item.addressee.phone;
  if (unclassifiedLines.length > 0) postal.unclassifiedLines = unclassifiedLines;

  const declaration: Declaration = {
    reference: item.itemId,
    dispatchCountry: item.sender.address.country,
    destinationCountry: item.addressee.address.country,
    channel: 'POST',
    transactionType: semantics.transactionType,
    // Under a collection scheme the seller charged the tax at checkout; otherwise the post collects
    // what is due from the addressee on delivery and pays it on its monthly statement.
    collectionModel: item.importerReference === undefined ? 'INTERMEDIARY_ON_DELIVERY' : 'SELLER_AT_CHECKOUT',
    currency: item.currency,
    transportDocument: item.itemId,
    seller: { name: item.sender.name, country: item.sender.address.country },
    consignee: {
      name: item.addressee.name,
      address: item.addressee.address,
      ...(item.addressee.email === undefined ? {} : { email: item.addressee.email }),
    },
    items,
    postal,
  };
  if (item.importerReference !== undefined) {
    declaration.taxRegistration = {
      scheme: schemeOf(item.importerReference),
      number: item.importerReference,
    };
  }
  if (item.postalCharges !== undefined) declaration.transportCost = item.postalCharges;
  if (item.insurance !== undefined) declaration.insuranceCost = item.insurance;
  return declaration;
};
