import type { ScoreBoard } from "./strategies/index.js";

/**
 * Picks, among the eligible instances, the one whose score vector (the
 * boards' scores in strategy order) is lowest; ties go to the lowest index,
 * which is the lowest ARN. Between two choices the caller places a task on
 * the chosen instance, tells the boards, then `placed`.
 */
export interface Chooser {
  /** The chosen instance's index; -1 when no instance is eligible. */
  readonly best: () => number;
  /** The instance `best` returned took a task; whether it can still take one. */
  readonly placed: (k: number, stillEligible: boolean) => void;
}

/** Above this many groups of instances, a scan is as quick as the trees. */
const MAX_GROUPS = 64;

/**
 * A chooser for these boards over `n` instances, of which `eligible` (in
 * index order, `m` of them) can take a task. Without a random strategy, one
 * tournament tree per group of instances that share every bucket finds the
 * best in O(groups + log n) per choice; a random strategy draws a score for
 * every eligible instance anyway, so it scans.
 */
export const chooserFor = (
  boards: readonly ScoreBoard[],
  n: number,
  eligible: Int32Array,
  m: number,
): Chooser => {
  if (boards.some((b) => b.fresh)) return scan(boards, n, eligible, m);
  const groups = groupsOf(boards, n);
  if (groups === undefined) return scan(boards, n, eligible, m);
  return tournament(boards, n, eligible, m, groups);
};

/** Whether instance a ranks before b: scores in strategy order, then the lower index. */
const ranker = (boards: readonly ScoreBoard[]) => {
  const scoreOf = boards.map((b) => b.scoreOf);
  return (a: number, b: number): boolean => {
    for (const s of scoreOf) {
      const d = s(a) - s(b);
      if (d !== 0) return d < 0;
    }
    return a < b;
  };
};

/**
 * Each instance's group: instances in one group share the bucket of every
 * board that has buckets, so they always score alike on those boards and
 * their order among themselves depends on the other boards only.
 */
const groupsOf = (
  boards: readonly ScoreBoard[],
  n: number,
): { readonly of: Int32Array; readonly count: number } | undefined => {
  const shared = boards.flatMap((b) => (b.bucketOf ? [b.bucketOf] : []));
  const of = new Int32Array(n);
  if (shared.length === 0) return { of, count: 1 };
  if (shared.length === 1) {
    // The buckets are numbered from 0 already.
    const count = shared[0]!.reduce((max, b) => Math.max(max, b + 1), 0);
    return count > MAX_GROUPS ? undefined : { of: shared[0]!, count };
  }
  const ids = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = shared.map((b) => b[i]).join(",");
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      if (id >= MAX_GROUPS) return undefined;
      ids.set(key, id);
    }
    of[i] = id;
  }
  return { of, count: ids.size };
};

/** One tournament tree per group: each node holds the better of its two children (-1: none). */
const tournament = (
  boards: readonly ScoreBoard[],
  n: number,
  eligible: Int32Array,
  m: number,
  groups: { readonly of: Int32Array; readonly count: number },
): Chooser => {
  const before = ranker(boards);
  const better = (a: number, b: number): number => (a < 0 ? b : b < 0 ? a : before(b, a) ? b : a);
  const sizes = new Int32Array(groups.count);
  for (let i = 0; i < n; i++) sizes[groups.of[i]!]!++;
  const trees = Array.from(sizes, (size) => {
    let leaves = 1;
    while (leaves < size) leaves *= 2;
    return new Int32Array(2 * leaves).fill(-1);
  });
  const leafOf = new Int32Array(n);
  const filled = new Int32Array(groups.count);
  for (let i = 0; i < n; i++) {
    const g = groups.of[i]!;
    leafOf[i] = trees[g]!.length / 2 + filled[g]!++;
  }
  for (let j = 0; j < m; j++) {
    const k = eligible[j]!;
    trees[groups.of[k]!]![leafOf[k]!] = k;
  }
  for (const tree of trees) {
    for (let node = tree.length / 2 - 1; node >= 1; node--) {
      tree[node] = better(tree[2 * node]!, tree[2 * node + 1]!);
    }
  }
  return {
    best: () => {
      let best = -1;
      for (const tree of trees) best = better(best, tree[1] ?? -1);
      return best;
    },
    placed: (k, stillEligible) => {
      const tree = trees[groups.of[k]!]!;
      let node = leafOf[k]!;
      tree[node] = stillEligible ? k : -1;
      for (node >>= 1; node >= 1; node >>= 1) {
        tree[node] = better(tree[2 * node]!, tree[2 * node + 1]!);
      }
    },
  };
};

/** Every choice fills each board's scores for the eligible instances and scans them. */
const scan = (
  boards: readonly ScoreBoard[],
  n: number,
  eligible: Int32Array,
  m: number,
): Chooser => {
  const scores = boards.map(() => new Float64Array(n));
  let at = -1;
  return {
    best: () => {
      if (m === 0) return -1;
      for (let b = 0; b < boards.length; b++) boards[b]!.fill(eligible, m, scores[b]!);
      at = lowest(scores, m);
      return eligible[at]!;
    },
    placed: (_k, stillEligible) => {
      if (stillEligible) return;
      eligible.copyWithin(at, at + 1, m);
      m--;
    },
  };
};

/**
 * The position (below `m`) whose score vector is lowest, compared strategy by
 * strategy; ties keep the earlier position. No strategy: 0.
 */
const lowest = (scores: readonly Float64Array[], m: number): number => {
  if (scores.length === 0) return 0;
  const first = scores[0]!;
  let best = 0;
  for (let j = 1; j < m; j++) {
    const d = first[j]! - first[best]!;
    if (d < 0 || (d === 0 && scores.length > 1 && breaksTie(scores, j, best))) best = j;
  }
  return best;
};

/** Whether position a ranks before b on the later strategies (the first being equal). */
const breaksTie = (scores: readonly Float64Array[], a: number, b: number): boolean => {
  for (let r = 1; r < scores.length; r++) {
    const d = scores[r]![a]! - scores[r]![b]!;
    if (d !== 0) return d < 0;
  }
  return false;
};
