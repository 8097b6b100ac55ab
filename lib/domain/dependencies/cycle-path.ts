/** Paths longer than this are shortened in messages, so a 10k-key cycle stays readable. */
const SHOWN_CYCLE_KEYS = 12;

/** "a → b → a"; long cycles keep their first and last keys and say how many were left out. */
export const formatCycle = (path: readonly string[]): string => {
  if (path.length <= SHOWN_CYCLE_KEYS) return path.join(' → ');
  const head = path.slice(0, SHOWN_CYCLE_KEYS - 2);
  return [...head, `… (${path.length - SHOWN_CYCLE_KEYS} more)`, ...path.slice(-2)].join(' → ');
};

/**
 * The shortest cycle through `start` that stays inside `members` (a strongly connected component
 * containing start, so one exists), as a path that returns to start: [start, …, start].
 */
export const cycleThrough = (
  graph: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>,
  start: string,
): [string, ...string[]] => {
  const parent = new Map<string, string>();
  const queue = [start];
  let last = start;
  // for…of sees the entries pushed while it runs: a breadth-first walk.
  search: for (const node of queue) {
    for (const next of graph.get(node) ?? []) {
      if (next === start) {
        last = node;
        break search;
      }
      if (members.has(next) && !parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  const back: string[] = [];
  for (let at: string | undefined = last; at !== undefined && at !== start; at = parent.get(at))
    back.push(at);
  return [start, ...back.reverse(), start];
};
