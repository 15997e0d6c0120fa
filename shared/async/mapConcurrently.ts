/**
 * `fn` over every item with at most `limit` calls under way at once; the results in
 * the items' order. The first rejection rejects the whole (calls already started run
 * to their end). For independent reads that would otherwise wait for each other's
 * round trips one after the other.
 */
export const mapConcurrently = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
