// What a postal item's declaration carries beyond the declaration contract: the CN23 facts the risk
// profiles, the customs responses and officers read. Set only by the postal routes, never by a platform.
export interface PostalFacts {
  itemId: string;
  postingDate: string;
  category: 'SALE_OF_GOODS' | 'GIFT' | 'COMMERCIAL_SAMPLE' | 'DOCUMENTS' | 'RETURNED_GOODS' | 'OTHER';
  categoryExplanation?: string;
  restrictions?: { type: 'QUARANTINE' | 'SANITARY' | 'PHYTOSANITARY' | 'OTHER'; explanation?: string }[];
  licenceNumbers?: string[];
  certificateNumbers?: string[];
  invoiceNumber?: string;
  addresseePhone?: string;
  /** Lines (from 1) of a gift declared without an HS code: an officer classifies them. */
  unclassifiedLines?: number[];
}
