import type { FreezeLevel } from './change-kind.ts';
import type { CompiledWindow } from './compiled-window.ts';
import { DAY_MS } from './local-time.ts';

/** How far ahead `nextChange` looks for the start of a freeze when not frozen: five years. */
export const NEXT_START_HORIZON_MS = 5 * 366 * DAY_MS;
/** How far ahead `nextChange` looks for the end (or a level change) of a freeze in force: 400 days. */
export const LEVEL_CHANGE_HORIZON_MS = 400 * DAY_MS;
const FIRST_LOOK_MS = 8 * DAY_MS;

/** The earliest occurrence start in (at, limit) among `entries`, looking further ahead until found. */
const nextStart = (entries: readonly CompiledWindow[], at: number, limit: number): number | null => {
  if (entries.length === 0) return null;
  for (let ahead = FIRST_LOOK_MS; ; ahead *= 4) {
    const to = Math.min(at + ahead, limit);
    let best = Infinity;
    for (const entry of entries) {
      const found = entry
        .source()
        .between(at, to)
        .find((o) => o.start > at);
      if (found !== undefined && found.start < best) best = found.start;
    }
    if (best !== Infinity) return best;
    if (to >= limit) return null;
  }
};

/**
 * The end of the stretch of time, containing `at`, that the occurrences of `entries` cover without a
 * gap: hop to the latest end among the occurrences in force, until none reaches further. Null when
 * the stretch goes past `limit`.
 */
const coveredUntil = (entries: readonly CompiledWindow[], at: number, limit: number): number | null => {
  let end = at;
  for (;;) {
    let reach = end;
    for (const entry of entries) {
      for (const o of entry.source().between(end, end + 1)) reach = Math.max(reach, o.end);
    }
    if (reach === end) return end;
    if (reach > limit) return null;
    end = reach;
  }
};

/**
 * The next instant the level of a query changes, given the windows that freeze it (`relevant`) and its
 * level at `at`. Not frozen: the first start of a freezing occurrence. Hard: the end of the hard
 * windows' unbroken cover. Soft: a hard start, or the end of the soft cover, whichever comes first.
 */
export const nextChange = (
  relevant: readonly CompiledWindow[],
  at: number,
  level: FreezeLevel | null,
): number | null => {
  if (level === null) return nextStart(relevant, at, at + NEXT_START_HORIZON_MS);
  const limit = at + LEVEL_CHANGE_HORIZON_MS;
  const hard = relevant.filter((c) => c.window.level === 'hard');
  if (level === 'hard') return coveredUntil(hard, at, limit);
  const softEnd = coveredUntil(
    relevant.filter((c) => c.window.level === 'soft'),
    at,
    limit,
  );
  return nextStart(hard, at, softEnd ?? limit) ?? softEnd;
};
