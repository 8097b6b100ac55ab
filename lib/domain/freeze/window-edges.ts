import { compileWindow } from './compiled-window.ts';
import type { FreezeWindow } from './freeze-window.ts';
import { DAY_MS, parseInstant, toIso } from './local-time.ts';
import { NEXT_START_HORIZON_MS } from './next-change.ts';
import type { Interval } from './occurrences.ts';

export interface WindowEdge {
  /** ISO instant of the edge. */
  at: string;
  /** A window occurrence starts (`start`) or the window stops applying (`end`). */
  edge: 'start' | 'end';
}

const FIRST_LOOK_MS = 8 * DAY_MS;

/** The earliest boundary after `at` among occurrences (a start wins a tie with an end). */
const earliest = (occurrences: readonly Interval[], at: number): WindowEdge | null => {
  let best: WindowEdge | null = null;
  let bestAt = Infinity;
  for (const o of occurrences) {
    if (o.start > at && o.start <= bestAt) {
      bestAt = o.start;
      best = { at: toIso(o.start), edge: 'start' };
    }
    if (o.end < bestAt) {
      bestAt = o.end;
      best = { at: toIso(o.end), edge: 'end' };
    }
  }
  return best;
};

/**
 * The first instant after `at` where the window starts or stops applying: when the activation
 * schedule of the window must fire next. Null when it never changes again within five years.
 */
export const nextEdge = (window: FreezeWindow, atInput: string | number): WindowEdge | null => {
  const at = parseInstant(atInput);
  if (at === null) return null;
  const source = compileWindow(window).source();
  const limit = at + NEXT_START_HORIZON_MS;
  let edge: WindowEdge | null = null;
  for (let ahead = FIRST_LOOK_MS, to = at; edge === null && to < limit; ahead *= 4) {
    to = Math.min(at + ahead, limit);
    edge = earliest(source.between(at, to), at);
  }
  return edge;
};
