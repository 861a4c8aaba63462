// A stable, well-spread bucket for a string: shards of aggregates and list indexes, lanes of a stream.

/** 32-bit FNV-1a of a string. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
};

/** The bucket (0..buckets-1) of `text`. */
export const bucketOf = (text: string, buckets: number): number => fnv1a(text) % buckets;
