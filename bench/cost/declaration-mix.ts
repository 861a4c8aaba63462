// The consignments the cost bench lodges: a seeded, repeatable e-commerce mix (`realistic`) or one that
// varies every dimension from one consignment to the next (`diverse`).
/** A seeded generator (mulberry32), so every run lodges the same workload. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const pick = <T>(random: () => number, weighted: readonly (readonly [T, number])[]): T => {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [value, weight] of weighted) {
    draw -= weight;
    if (draw < 0) return value;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
};

/**
 * Lodging platforms of an e-commerce import flow: a few large ones carry most consignments, each
 * lodging under one collection model and mostly one channel.
 */
export const BENCH_PLATFORMS = [
  { id: 'marketplace-a', weight: 40, collectionModel: 'SELLER_AT_CHECKOUT', channel: 'POST' },
  { id: 'courier-b', weight: 25, collectionModel: 'INTERMEDIARY_ON_DELIVERY', channel: 'EXPRESS' },
  { id: 'shop-c', weight: 15, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'POST' },
  { id: 'platform-d', weight: 8, collectionModel: 'DEFERRED_ACCOUNT', channel: 'EXPRESS' },
  { id: 'shop-e', weight: 5, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'POST' },
  { id: 'shop-f', weight: 4, collectionModel: 'DEFERRED_ACCOUNT', channel: 'FREIGHT' },
  { id: 'shop-g', weight: 3, collectionModel: 'CONSUMER_AT_IMPORT', channel: 'EXPRESS' },
] as const;

const GOODS: readonly (readonly [{ hsCode: string; description: string }, number])[] = [
  [{ hsCode: '610910', description: "men's cotton T-shirt, knitted" }, 30],
  [{ hsCode: '640399', description: 'leather ankle boots for women' }, 15],
  [{ hsCode: '420221', description: 'leather handbag with shoulder strap' }, 10],
  [{ hsCode: '851762', description: 'wireless network router for home use' }, 20],
  [{ hsCode: '620342', description: "men's cotton denim trousers" }, 15],
  [{ hsCode: '392690', description: 'plastic phone stand for desks' }, 10],
] as const;
const ORIGINS = [
  ['CN', 75],
  ['VN', 8],
  ['IN', 6],
  ['US', 6],
  ['TR', 5],
] as const;
const LINES = [
  [1, 65],
  [2, 25],
  [3, 10],
] as const;

/**
 * The `index`th consignment of a workload: low value (no tariff data needed), one to three lines,
 * mostly from one origin. `diverse` spreads models, channels, origins and goods evenly instead, the
 * worst case for pre-summing.
 */
export const benchDeclaration = (run: string, index: number, mix: 'realistic' | 'diverse' = 'realistic') => {
  const random = seeded(index * 7919 + 17);
  const platform =
    mix === 'diverse'
      ? BENCH_PLATFORMS[index % BENCH_PLATFORMS.length]
      : pick(
          random,
          BENCH_PLATFORMS.map((entry) => [entry, entry.weight] as const),
        );
  const origin = pick(random, ORIGINS);
  const lines = mix === 'diverse' ? 1 + (index % 3) : pick(random, LINES);
  return {
    platformId: (platform as (typeof BENCH_PLATFORMS)[number]).id,
    declaration: {
      reference: `COST-${run}-${index}`,
      dispatchCountry: origin === 'US' ? 'US' : 'CN',
      destinationCountry: 'NL',
      channel:
        mix === 'diverse'
          ? ['POST', 'EXPRESS', 'FREIGHT'][index % 3]
          : (platform as (typeof BENCH_PLATFORMS)[number]).channel,
      transactionType: 'B2C',
      collectionModel:
        mix === 'diverse'
          ? ['CONSUMER_AT_IMPORT', 'INTERMEDIARY_ON_DELIVERY', 'DEFERRED_ACCOUNT', 'SELLER_AT_CHECKOUT'][
              index % 4
            ]
          : (platform as (typeof BENCH_PLATFORMS)[number]).collectionModel,
      currency: 'EUR',
      transportCost: (3 + Math.floor(random() * 5)).toFixed(2),
      seller: { name: `Seller ${index % 97}`, country: 'CN', id: `S-${index % 97}` },
      consignee: {
        name: `Consignee ${run} ${index}`,
        address: { line1: `Street ${index}`, city: 'Utrecht', postcode: '3511 AB', country: 'NL' },
      },
      items: Array.from({ length: lines }, (_, line) => ({
        ...(mix === 'diverse'
          ? (GOODS[(index + line) % GOODS.length] as (typeof GOODS)[number])[0]
          : pick(random, GOODS)),
        originCountry:
          mix === 'diverse'
            ? (ORIGINS[(index * 7 + line) % ORIGINS.length] as (typeof ORIGINS)[number])[0]
            : random() < 0.9
              ? origin
              : pick(random, ORIGINS),
        quantity: 1 + Math.floor(random() * 3),
        value: (5 + Math.floor(random() * 4000) / 100 + line).toFixed(2),
        netMassKg: '0.50',
      })),
    },
  };
};
