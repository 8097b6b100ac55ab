import type { FreezeWindow } from '../freeze/freeze-window.ts';
import { parseInstant } from '../freeze/local-time.ts';

/**
 * One version of a window as the freeze calendar held it: from the instant it was added (or replaced
 * an earlier version) until the instant it was removed or replaced. A missing bound is open.
 */
export interface CalendarVersion {
  window: FreezeWindow;
  since?: string;
  until?: string;
}

/** A change to the calendar, as its audit chain records it. */
export interface CalendarChange {
  type: 'added' | 'removed';
  at: string;
  window: FreezeWindow;
}

/**
 * Every version of every window, folded from the calendar's changes in commit order. Adding a window
 * whose id is already in the calendar replaces it: the old version ends where the new one begins. A
 * removal with no version open (history older than what was read) closes one that was always there.
 */
export const calendarHistory = (changes: readonly CalendarChange[]): CalendarVersion[] => {
  const versions: CalendarVersion[] = [];
  const open = new Map<string, CalendarVersion>();
  for (const change of changes) {
    const id = change.window.id;
    const current = open.get(id);
    if (current !== undefined) current.until = change.at;
    open.delete(id);
    if (change.type === 'added') {
      const version: CalendarVersion = { window: change.window, since: change.at };
      versions.push(version);
      open.set(id, version);
    } else if (current === undefined) {
      versions.push({ window: change.window, until: change.at });
    }
  }
  return versions;
};

/** Whether a version was in the calendar at `at` (epoch ms): since inclusive, until exclusive. */
export const heldAt = (version: CalendarVersion, at: number): boolean => {
  const since = version.since === undefined ? -Infinity : (parseInstant(version.since) ?? -Infinity);
  const until = version.until === undefined ? Infinity : (parseInstant(version.until) ?? Infinity);
  return since <= at && at < until;
};

/** The same windows as a calendar that always held them (no history known). */
export const alwaysHeld = (windows: readonly FreezeWindow[]): CalendarVersion[] =>
  windows.map((window) => ({ window }));
