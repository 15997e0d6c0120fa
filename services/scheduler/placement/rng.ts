/**
 * A small deterministic PRNG (mulberry32) seeded from a string or number by
 * FNV-1a, so the same request seed always yields the same draws: replaying
 * the log reproduces every `random` decision.
 */
export type Rng = () => number;

const hash = (seed: string | number): number => {
  const text = typeof seed === "number" ? `n:${seed}` : `s:${seed}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** Draws uniformly in [0, 1). */
export const seededRng = (seed: string | number): Rng => {
  let state = hash(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
