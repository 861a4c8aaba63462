// The first preset dictionary of the ledger's facts items (record-codec.ts): their field names, the
// ledger kinds, facts, collection models, payers and the tax codes and currencies the rule packs use; no
// values of any declaration. Frozen: items written with it are read with it; a better one is added
// beside it under the next number, never edited in place. The most frequent strings come last, where
// deflate reaches them with the shortest distances.
export const LEDGER_FACTS_DICTIONARY_V1: readonly string[] = [
  'UNALLOCATED REFUNDED#EXTINGUISHMENT# EXTINGUISHMENT EXTINGUISHED# REFUND# PAYMENT# COLLECTED# REFUNDED#',
  'AUD CAD CHF CNY JPY NOK NZD SGD GBP USD EUR',
  'CONSUMPTION_TAX IEEPA_CN_OPIOID FLAT_RATE_DUTY CUSTOMS_DUTY_SPECIFIC CUSTOMS_DUTY MPF_INFORMAL MPF_FORMAL IT_HANDLING_FEE FR_SMALL_PARCEL_TAX EU_FLAT_DUTY HST GST DUTY VAT',
  'SELLER_AT_CHECKOUT INTERMEDIARY_ON_DELIVERY CONSUMER_AT_IMPORT DEFERRED_ACCOUNT SELLER PLATFORM INTERMEDIARY CONSUMER',
  '[{"declarationId":"dcl_","fact":"ASSESSMENT","platformId":"","collectionModel":"CONSUMER_AT_IMPORT","payer":"CONSUMER","at":"2026-07-01T10:00:00.000Z","entries":[{"id":"dcl_#CHECKOUT_DECLARED#VAT#EUR","kind":"CHECKOUT_DECLARED","taxCode":"VAT","currency":"EUR","amount":"0.00"}]}',
  '{"declarationId":"dcl_","fact":"ASSESSMENT","platformId":"","collectionModel":"SELLER_AT_CHECKOUT","payer":"SELLER","at":"2026-07-01T10:00:00.000Z","entries":[{"id":"dcl_#ASSESSED#DUTY#EUR","kind":"ASSESSED","taxCode":"DUTY","currency":"EUR","amount":"0.00"},{"id":"dcl_#ASSESSED#VAT#EUR","kind":"ASSESSED","taxCode":"VAT","currency":"EUR","amount":"0.00"}]}]',
];
