import { DateTime, Duration } from 'luxon';
import * as rruleModule from 'rrule';
import { changeKinds, type ChangeKind, type FreezeLevel } from '#domain/freeze/change-kind.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import type { FreezeQuery } from '#domain/freeze/freeze-status.ts';

/**
 * A deliberately naive reference for freeze evaluation: rrule walks from DTSTART every time, luxon
 * answers every clock question, skipped readings are found by scanning minute by minute, globs match
 * by recursion. Slow and obviously right; the real implementation must agree with it.
 */
const { RRule } = (rruleModule as unknown as { default: typeof rruleModule }).default;
const MINUTE = 60_000;
const DAY = 86_400_000;

const readingOf = (t: number, zone: string): number =>
  DateTime.fromMillis(t, { zone }).setZone('utc', { keepLocalTime: true }).toMillis();

/** Instants at which the clock reads `wall`; for a skipped reading, the instant the clock jumps past it. */
export const oracleInstants = (wall: number, zone: string): number[] => {
  const dt = DateTime.fromMillis(wall, { zone: 'utc' }).setZone(zone, { keepLocalTime: true });
  if (readingOf(dt.toMillis(), zone) === wall) {
    return dt
      .getPossibleOffsets()
      .map((d) => d.toMillis())
      .sort((a, b) => a - b);
  }
  let t = Math.floor((dt.toMillis() - 3 * 3_600_000) / MINUTE) * MINUTE;
  while (readingOf(t, zone) <= wall) t += MINUTE;
  return [t];
};

const localWall = (text: string): number => DateTime.fromISO(text, { zone: 'utc' }).toMillis();
const hasOffset = (text: string): boolean => /(Z|[+-]\d{2}:?\d{2})$/i.exec(text) !== null;

const start = (text: string, zone: string): number =>
  hasOffset(text) ? DateTime.fromISO(text).toMillis() : (oracleInstants(localWall(text), zone)[0] as number);
const end = (wall: number, zone: string, from: number): number => {
  const all = oracleInstants(wall, zone);
  return all.find((t) => t > from) ?? (all[all.length - 1] as number);
};

export interface OracleInterval {
  start: number;
  end: number;
}

/** Occurrences of a window starting in [from - lookback, to]. */
export const oracleOccurrences = (window: FreezeWindow, from: number, to: number): OracleInterval[] => {
  const s = window.schedule;
  if (!('rrule' in s)) {
    const zone = s.timezone ?? 'UTC';
    const a = start(s.start, zone);
    const b = hasOffset(s.end) ? DateTime.fromISO(s.end).toMillis() : end(localWall(s.end), zone, a);
    return b > a ? [{ start: a, end: b }] : [];
  }
  const zone = s.timezone;
  const first = s.start ?? '2000-01-01T00:00:00';
  const dtstart = hasOffset(first) ? readingOf(DateTime.fromISO(first).toMillis(), zone) : localWall(first);
  const until = s.until === undefined ? Infinity : start(s.until, zone);
  const duration = Duration.fromISO(s.duration);
  const rule = new RRule({ ...RRule.parseString(s.rrule), dtstart: new Date(dtstart) });
  return rule
    .between(new Date(from - 40 * DAY), new Date(to + 2 * DAY), true)
    .map((d) => {
      const a = oracleInstants(d.getTime(), zone)[0] as number;
      const wallEnd = DateTime.fromMillis(d.getTime(), { zone: 'utc' }).plus(duration).toMillis();
      return { start: a, end: end(wallEnd, zone, a) };
    })
    .filter((o) => o.start <= until && o.end > o.start);
};

export const oracleGlob = (pattern: string, text: string): boolean => {
  if (pattern === '') return text === '';
  if (pattern.startsWith('**')) {
    return Array.from({ length: text.length + 1 }, (_, i) => i).some((i) =>
      oracleGlob(pattern.slice(2), text.slice(i)),
    );
  }
  if (pattern.startsWith('*')) {
    for (let i = 0; i <= text.length; i += 1) {
      if (oracleGlob(pattern.slice(1), text.slice(i))) return true;
      if (text[i] === '.') return false;
    }
    return false;
  }
  return text[0] === pattern[0] && oracleGlob(pattern.slice(1), text.slice(1));
};

const dimension = (patterns: string[] | undefined, values: readonly string[] | undefined): boolean =>
  patterns === undefined ||
  values === undefined ||
  values.some((v) => patterns.some((p) => oracleGlob(p, v)));

const inScope = (w: FreezeWindow, q: FreezeQuery): boolean =>
  dimension(w.scope.environments, [q.environment]) &&
  dimension(w.scope.namespaces, q.namespaces) &&
  dimension(w.scope.teams, q.teams);

export const oracleFreezes = (w: FreezeWindow, kind: ChangeKind): boolean =>
  dimension(w.scope.changeKinds, [kind]) &&
  w.allow?.includes(kind) !== true &&
  !(kind === 'rollback' && w.forbidRollback !== true);

export interface OracleStatus {
  frozen: boolean;
  level: FreezeLevel | null;
  ids: string[];
  allowedKinds: ChangeKind[];
}

export class Oracle {
  private readonly occurrences: Map<string, OracleInterval[]>;
  private readonly windows: FreezeWindow[];
  constructor(windows: FreezeWindow[], from: number, to: number) {
    this.windows = windows;
    this.occurrences = new Map(windows.map((w) => [w.id, oracleOccurrences(w, from, to)]));
  }

  private inForce(w: FreezeWindow, t: number): boolean {
    return (this.occurrences.get(w.id) ?? []).some((o) => o.start <= t && t < o.end);
  }

  private freezesQuery(w: FreezeWindow, q: FreezeQuery): boolean {
    return q.kind === undefined ? changeKinds.some((k) => oracleFreezes(w, k)) : oracleFreezes(w, q.kind);
  }

  status(q: FreezeQuery, t: number): OracleStatus {
    const active = this.windows.filter((w) => inScope(w, q) && this.inForce(w, t));
    const freezing = active.filter((w) => this.freezesQuery(w, q));
    const level = freezing.some((w) => w.level === 'hard') ? 'hard' : freezing.length > 0 ? 'soft' : null;
    return {
      frozen: freezing.length > 0,
      level,
      ids: freezing.map((w) => w.id).sort(),
      allowedKinds: changeKinds.filter((k) => !active.some((w) => oracleFreezes(w, k))),
    };
  }

  /** Every occurrence boundary in [from, to]. */
  boundaries(from: number, to: number): number[] {
    return [...this.occurrences.values()]
      .flat()
      .flatMap((o) => [o.start, o.end])
      .filter((b) => b >= from && b <= to);
  }

  /** The first boundary after t, up to `until`, at which the level differs; null if none. */
  nextChange(q: FreezeQuery, t: number, until: number): number | null {
    const relevant = this.windows.filter((w) => inScope(w, q) && this.freezesQuery(w, q));
    const boundaries = [
      ...new Set(
        relevant.flatMap((w) => (this.occurrences.get(w.id) ?? []).flatMap((o) => [o.start, o.end])),
      ),
    ]
      .filter((b) => b > t && b <= until)
      .sort((a, b) => a - b);
    const level = this.status(q, t).level;
    return boundaries.find((b) => this.status(q, b).level !== level) ?? null;
  }
}
