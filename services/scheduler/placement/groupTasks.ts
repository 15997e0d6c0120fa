import type { CandidateTask } from "./types.js";

/**
 * How many tasks of a group an instance runs, remembered per task list.
 *
 * Spread and distinctInstance need that count on every instance for every
 * request, and counting means comparing the group of every task in the
 * cluster (40,000 string comparisons, each a cache miss, at 5,000 instances
 * of 8 tasks). A candidate is a plain value that is never changed (withTask
 * and withoutTask make new task lists), so the count per group is taken once
 * per task list and kept until the list is garbage: the scheduler places the
 * services of one pass against the same instances, and every later request
 * then costs a lookup per instance. Group names become small integers
 * (interned below), so a lookup compares numbers, not strings.
 */

/** Past this many names, start a new table (entries of the old one are rebuilt when next read). */
const MAX_NAMES = 1 << 16;

let names = new Map<string, number>();

interface Tally {
  /** The table its ids come from. */
  readonly names: Map<string, number>;
  /** Group id, count, group id, count, … (a few entries: one per group on the instance). */
  readonly pairs: readonly number[];
}

const tallies = new WeakMap<readonly CandidateTask[], Tally>();

const idOf = (group: string): number => {
  let id = names.get(group);
  if (id === undefined) {
    id = names.size;
    names.set(group, id);
  }
  return id;
};

const tally = (tasks: readonly CandidateTask[]): Tally => {
  const known = tallies.get(tasks);
  if (known !== undefined && known.names === names) return known;
  if (names.size + tasks.length > MAX_NAMES) names = new Map();
  // Position of each group's count in `pairs`, by id: a list of many groups stays linear.
  const at = new Map<number, number>();
  const pairs: number[] = [];
  for (const t of tasks) {
    const id = idOf(t.group);
    const j = at.get(id);
    if (j === undefined) {
      at.set(id, pairs.length + 1);
      pairs.push(id, 1);
    } else pairs[j]!++;
  }
  const made: Tally = { names, pairs };
  tallies.set(tasks, made);
  return made;
};

const countIn = (pairs: readonly number[], id: number): number => {
  for (let j = 0; j < pairs.length; j += 2) if (pairs[j] === id) return pairs[j + 1]!;
  return 0;
};

/**
 * A counter of `group`'s tasks in a task list, for many lists in a row: the
 * group's id is looked up once, not per list.
 */
export const groupTaskCounter = (group: string): ((tasks: readonly CandidateTask[]) => number) => {
  let table = names;
  let id = names.get(group);
  return (tasks) => {
    const t = tally(tasks);
    if (t.names !== table || id === undefined) {
      // A new table, or the group was unknown: this list may have just named it.
      table = t.names;
      id = table.get(group);
      if (id === undefined) return 0;
    }
    return countIn(t.pairs, id);
  };
};

/** How many tasks of `group` the list holds. */
export const countGroupTasks = (tasks: readonly CandidateTask[], group: string): number => {
  const t = tally(tasks);
  const id = t.names.get(group);
  return id === undefined ? 0 : countIn(t.pairs, id);
};
