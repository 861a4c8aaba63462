// The risk profiles every country pack starts from (DESIGN.md section 5). Plain data in the contract
// format, with nothing country-specific: thresholds (the low-value threshold, the 72-hour history,
// reference prices) reach the engine as RiskFacts. A pack or an admin replaces one by publishing a
// version with the same id and a later validFrom (see profilesInForce), or ends it with validTo.
//
// Lanes and agency holds are kept apart: `lane` is what customs checks (AMBER documents, RED
// inspection); an agency routing profile places a single-window HOLD for that agency, scores 0 and
// sets no lane, so food, toys and medicines are not sent to a customs check for being what they are.
import type { RiskProfile } from './profile.js';

const SINCE = '2021-07-01';

/** Agency codes the single-window routing profiles hold for (the `agency` role's subject). */
export const AGENCIES = {
  FOOD_SAFETY: 'FOOD_SAFETY',
  PRODUCT_SAFETY: 'PRODUCT_SAFETY',
  MEDICINES: 'MEDICINES',
  ANIMAL_HEALTH: 'ANIMAL_HEALTH',
  PLANT_HEALTH: 'PLANT_HEALTH',
} as const;

const FOOD_CHAPTERS = Array.from({ length: 24 }, (_, index) => String(index + 1).padStart(2, '0'));

export const BUILTIN_PROFILES = [
  {
    id: 'BUILTIN-WEAPONS',
    description: 'Weapons and ammunition (HS chapter 93) are restricted goods',
    validFrom: SINCE,
    when: { item: { hsChapter: ['93'] } },
    score: 100,
    lane: 'RED',
    category: 'RESTRICTED',
    reason: '{item} (HS {item.hsCode}) is a weapon or ammunition: restricted goods',
  },
  {
    id: 'BUILTIN-EXPLOSIVES',
    description: 'Explosives, detonators and fireworks (HS 3601 to 3604) are restricted goods',
    validFrom: SINCE,
    when: { item: { hsHeading: ['3601', '3602', '3603', '3604'] } },
    score: 100,
    lane: 'RED',
    category: 'RESTRICTED',
    reason: '{item} (HS {item.hsCode}) is an explosive, detonator or firework: restricted goods',
  },
  {
    id: 'BUILTIN-VAGUE-DESCRIPTION',
    description: 'An item description that does not say what the goods are',
    validFrom: SINCE,
    when: { item: { descriptionVague: [true] } },
    score: 20,
    lane: 'AMBER',
    category: 'DESCRIPTION',
    reason: '{item} is described as "{item.description}", which does not say what the goods are',
  },
  {
    id: 'BUILTIN-UNDERVALUATION',
    description: 'An item declared at less than 30% of the reference price for its HS code',
    validFrom: SINCE,
    when: { item: { referencePriceRatio: [{ numeric: ['<', 0.3] }] } },
    score: 30,
    lane: 'AMBER',
    category: 'VALUATION',
    reason:
      '{item} (HS {item.hsCode}) is declared at {item.unitValue} {currency} a unit, ' +
      '{item.referencePriceRatio|percent} of the reference price {item.referencePrice} {currency}',
  },
  {
    id: 'BUILTIN-SPLITTING',
    description:
      'Consignment splitting: the same consignee within 72 hours beyond the low-value threshold, ' +
      'or 3 or more other consignments within 72 hours',
    validFrom: SINCE,
    when: {
      $or: [
        { consignment: { exceedsLowValueWith72h: [true] } },
        { consignee: { consignmentsLast72h: [{ numeric: ['>=', 3] }] } },
      ],
    },
    score: 30,
    lane: 'AMBER',
    category: 'SPLITTING',
    reason:
      'Possible consignment splitting: the consignee received {consignee.consignmentsLast72h} other ' +
      'consignments worth {consignee.valueLast72h} in the last 72 hours; this one is worth ' +
      '{consignment.intrinsicValue} against a low-value threshold of {consignment.lowValueThreshold}',
  },
  {
    id: 'BUILTIN-SCHEME-UNREGISTERED',
    description: 'A collection-scheme number (IOSS or other) that is not registered or not valid on the date',
    validFrom: SINCE,
    when: { taxRegistration: { registered: [false] } },
    score: 60,
    lane: 'RED',
    category: 'SCHEME_MISUSE',
    reason:
      'The {taxRegistration.scheme} number {taxRegistration.number} is not in the registry ' +
      'or not valid on {importDate}',
  },
  {
    id: 'BUILTIN-SCHEME-HOLDER-MISMATCH',
    description: 'A registered collection-scheme number used by a seller that is not its holder',
    validFrom: SINCE,
    when: { taxRegistration: { registered: [true], holderMatches: [false] } },
    score: 40,
    lane: 'AMBER',
    category: 'SCHEME_MISUSE',
    reason:
      'The {taxRegistration.scheme} number {taxRegistration.number} belongs to another holder, ' +
      'not the seller {seller.name} nor the platform {platform.id}',
  },
  {
    id: 'BUILTIN-FALSE-GIFT',
    description: 'An item declared as a gift on a business-to-consumer sale lodged by a platform',
    validFrom: SINCE,
    when: { gift: { claimedOnPlatformSale: [true] }, item: { category: ['GIFT'] } },
    score: 25,
    lane: 'AMBER',
    category: 'GIFT',
    reason: '{item} is declared as a gift although it is a B2C sale lodged by platform {platform.id}',
  },
  {
    id: 'BUILTIN-AGENCY-FOOD',
    description:
      'Food and agricultural products (HS chapters 01 to 24) are held for the food safety authority',
    validFrom: SINCE,
    when: { item: { hsChapter: FOOD_CHAPTERS } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.FOOD_SAFETY,
    category: 'AGENCY',
    reason: '{item} (HS {item.hsCode}) is food or an agricultural product: held for food safety checks',
  },
  {
    id: 'BUILTIN-AGENCY-TOYS',
    description: 'Toys (HS 9503) are held for the product safety authority',
    validFrom: SINCE,
    when: { item: { hsHeading: ['9503'] } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.PRODUCT_SAFETY,
    category: 'AGENCY',
    reason: '{item} (HS {item.hsCode}) is a toy: held for product safety checks',
  },
  {
    id: 'BUILTIN-AGENCY-MEDICINES',
    description: 'Medicines and pharmaceutical products (HS chapter 30) are held for the medicines agency',
    validFrom: SINCE,
    when: { item: { hsChapter: ['30'] } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.MEDICINES,
    category: 'AGENCY',
    reason:
      '{item} (HS {item.hsCode}) is a medicine or pharmaceutical product: held for the medicines agency',
  },
  // Postal items (CN23): what the post declared sends the item to an officer or an agency.
  {
    id: 'BUILTIN-POSTAL-OTHER',
    description: 'A postal item of category OTHER: an officer reads the explanation',
    validFrom: SINCE,
    when: { postal: { category: ['OTHER'] } },
    score: 20,
    lane: 'AMBER',
    category: 'OTHER',
    reason: 'The post declared the item as OTHER; an officer reads its explanation',
  },
  {
    id: 'BUILTIN-POSTAL-UNCLASSIFIED',
    description: 'A postal gift sent without an HS code: an officer classifies it',
    validFrom: SINCE,
    when: { postal: { unclassified: [true] } },
    score: 20,
    lane: 'AMBER',
    category: 'OTHER',
    reason: 'A gift line came without an HS code; an officer classifies it',
  },
  {
    id: 'BUILTIN-POSTAL-RESTRICTED-OTHER',
    description: 'A postal item the post marked as subject to another restriction (CN23 box 11)',
    validFrom: SINCE,
    when: { postal: { restriction: ['OTHER'] } },
    score: 20,
    lane: 'AMBER',
    category: 'OTHER',
    reason: 'The post marked the item as subject to a restriction (CN23 box 11)',
  },
  {
    id: 'BUILTIN-POSTAL-QUARANTINE',
    description: 'A postal item marked for quarantine (CN23 box 11) is held for the animal health authority',
    validFrom: SINCE,
    when: { postal: { restriction: ['QUARANTINE'] } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.ANIMAL_HEALTH,
    category: 'AGENCY',
    reason: 'The post marked the item for quarantine: held for the animal health authority',
  },
  {
    id: 'BUILTIN-POSTAL-SANITARY',
    description: 'A postal item marked for sanitary inspection (CN23 box 11) is held for food safety',
    validFrom: SINCE,
    when: { postal: { restriction: ['SANITARY'] } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.FOOD_SAFETY,
    category: 'AGENCY',
    reason: 'The post marked the item for sanitary inspection: held for food safety checks',
  },
  {
    id: 'BUILTIN-POSTAL-PHYTOSANITARY',
    description:
      'A postal item marked for phytosanitary inspection (CN23 box 11) is held for the plant health authority',
    validFrom: SINCE,
    when: { postal: { restriction: ['PHYTOSANITARY'] } },
    score: 0,
    action: 'HOLD',
    agency: AGENCIES.PLANT_HEALTH,
    category: 'AGENCY',
    reason: 'The post marked the item for phytosanitary inspection: held for the plant health authority',
  },
] as const satisfies readonly RiskProfile[];

export type BuiltinProfileId = (typeof BUILTIN_PROFILES)[number]['id'];
