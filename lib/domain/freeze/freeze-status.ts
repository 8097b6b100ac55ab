import { badRequest } from '../core/errors.ts';
import { changeKinds, stricter, type ChangeKind, type FreezeLevel } from './change-kind.ts';
import { inFlightOf, permittedKinds, type FreezeWindow, type InFlightPolicy } from './freeze-window.ts';
import { DAY_MS, parseInstant, toIso } from './local-time.ts';
import { occurrenceSource, type Interval, type OccurrenceSource } from './occurrences.ts';
import { dimensionApplies, globList, type GlobList } from './scope-match.ts';

export interface FreezeQuery {
  environment: string;
  /** Namespaces the change touches; left out = not known, so every namespace-scoped window applies. */
  namespaces?: readonly string[];
  /** Teams the change belongs to; left out = not known. */
  teams?: readonly string[];
  /** The kind of change; left out = "any change": frozen when some kind is frozen. */
  kind?: ChangeKind;
}

export interface MatchingWindow {
  id: string;
  name: string;
  level: FreezeLevel;
  /** The current occurrence (ISO instants, end exclusive). */
  start: string;
  end: string;
  /** Kinds this window still permits (its allow list, rollback unless forbidden, kinds outside its scope). */
  allow: ChangeKind[];
  inFlight: InFlightPolicy;
}

export interface FreezeStatus {
  frozen: boolean;
  /** The strictest level among the windows that freeze the query; null when not frozen. */
  level: FreezeLevel | null;
  /** The windows that freeze the query: hard first, then by start, then id. */
  windows: MatchingWindow[];
  /** Kinds no applying window freezes. */
  allowedKinds: ChangeKind[];
  /** The next instant `frozen` or `level` changes for this query; null when nothing changes within the horizons below. */
  nextChange: string | null;
}

/** How far ahead `nextChange` looks for the start of a freeze when not frozen: five years. */
export const NEXT_START_HORIZON_MS = 5 * 366 * DAY_MS;
/** How far ahead `nextChange` looks for the end (or a level change) of a freeze in force: 400 days. */
export const LEVEL_CHANGE_HORIZON_MS = 400 * DAY_MS;
const FIRST_LOOK_MS = 8 * DAY_MS;
const ALL_KINDS = (1 << changeKinds.length) - 1;
const bit = (kind: ChangeKind): number => 1 << changeKinds.indexOf(kind);
const kindsOf = (mask: number): ChangeKind[] => changeKinds.filter((kind) => (mask & bit(kind)) !== 0);

interface Compiled {
  window: FreezeWindow;
  environments: GlobList | undefined;
  namespaces: GlobList | undefined;
  teams: GlobList | undefined;
  /** Kinds this window freezes, as a bit mask. */
  freezes: number;
  allow: ChangeKind[];
  source: () => OccurrenceSource;
}

const compile = (window: FreezeWindow): Compiled => {
  const kindScope = globList(window.scope.changeKinds);
  const allow = permittedKinds(window, (kind) => kindScope?.(kind) ?? true);
  let source: OccurrenceSource | undefined;
  return {
    window,
    environments: globList(window.scope.environments),
    namespaces: globList(window.scope.namespaces),
    teams: globList(window.scope.teams),
    freezes: ALL_KINDS & ~allow.reduce((mask, kind) => mask | bit(kind), 0),
    allow,
    // Schedules compile on first use: a query only pays for the windows whose scope matches it.
    source: () => (source ??= occurrenceSource(window.schedule)),
  };
};

const levelOf = (hard: number, soft: number): FreezeLevel | null => (hard > 0 ? 'hard' : soft > 0 ? 'soft' : null);

/** The earliest occurrence start after `at` among `relevant`, looking further ahead until found. */
const nextStart = (relevant: readonly Compiled[], at: number): number | null => {
  for (let ahead = FIRST_LOOK_MS; ; ahead = Math.min(ahead * 4, NEXT_START_HORIZON_MS)) {
    let best = Infinity;
    for (const entry of relevant) {
      const found = entry
        .source()
        .between(at, at + ahead + 1)
        .find((o) => o.start > at);
      if (found !== undefined && found.start < best) best = found.start;
    }
    if (best !== Infinity) return best;
    if (ahead >= NEXT_START_HORIZON_MS) return null;
  }
};

/**
 * While frozen: the next instant the level changes, by a sweep over the boundaries of the freezing
 * windows' occurrences, looking further ahead (8 days, then ×4) until something changes.
 */
const levelChange = (relevant: readonly Compiled[], at: number, initial: FreezeLevel): number | null => {
  for (let ahead = FIRST_LOOK_MS; ; ahead = Math.min(ahead * 4, LEVEL_CHANGE_HORIZON_MS)) {
    const events: Array<[time: number, hard: number, soft: number]> = [];
    let hard = 0;
    let soft = 0;
    for (const entry of relevant) {
      const isHard = entry.window.level === 'hard';
      for (const o of entry.source().between(at, at + ahead + 1)) {
        if (o.start <= at) {
          if (isHard) hard += 1;
          else soft += 1;
        } else events.push(isHard ? [o.start, 1, 0] : [o.start, 0, 1]);
        if (o.end <= at + ahead) events.push(isHard ? [o.end, -1, 0] : [o.end, 0, -1]);
      }
    }
    events.sort((a, b) => a[0] - b[0]);
    for (let i = 0; i < events.length; i += 1) {
      const [time, dh, ds] = events[i] as [number, number, number];
      hard += dh;
      soft += ds;
      if (events[i + 1]?.[0] !== time && levelOf(hard, soft) !== initial) return time;
    }
    if (ahead >= LEVEL_CHANGE_HORIZON_MS) return null;
  }
};

const containing = (intervals: readonly Interval[], at: number): Interval | undefined => {
  const hits = intervals.filter((o) => o.start <= at && at < o.end);
  if (hits.length === 0) return undefined;
  return { start: Math.min(...hits.map((o) => o.start)), end: Math.max(...hits.map((o) => o.end)) };
};

const byLevelStartId = (a: MatchingWindow, b: MatchingWindow): number =>
  (a.level === b.level ? 0 : a.level === 'hard' ? -1 : 1) || a.start.localeCompare(b.start) || a.id.localeCompare(b.id);

export interface CompiledWindows {
  status(query: FreezeQuery, at: string | number): FreezeStatus;
}

const SCOPE_CACHE_LIMIT = 1000;

/**
 * Precompile windows for repeated queries: globs compile once, schedules on first use, expanded
 * occurrences stay cached per window, and the windows whose scope matches a query are remembered per
 * (environment, namespaces, teams). Windows must be valid (`freezeWindowSchema`).
 */
export const compileWindows = (windows: readonly FreezeWindow[]): CompiledWindows => {
  const compiled = windows.map(compile);
  const byScope = new Map<string, Compiled[]>();
  const inScope = (query: FreezeQuery): Compiled[] => {
    const key = JSON.stringify([query.environment, query.namespaces ?? null, query.teams ?? null]);
    let list = byScope.get(key);
    if (list === undefined) {
      list = compiled.filter(
        (c) =>
          dimensionApplies(c.environments, [query.environment]) &&
          dimensionApplies(c.namespaces, query.namespaces) &&
          dimensionApplies(c.teams, query.teams),
      );
      if (byScope.size >= SCOPE_CACHE_LIMIT) byScope.clear();
      byScope.set(key, list);
    }
    return list;
  };

  return {
    status(query, atInput) {
      const at = parseInstant(atInput);
      if (at === null) throw badRequest(`"${String(atInput)}" is not an instant (ISO 8601 with Z or an offset, or epoch ms)`);
      const wanted = query.kind === undefined ? ALL_KINDS : bit(query.kind);
      const candidates = inScope(query);
      let frozenKinds = 0;
      let level: FreezeLevel | null = null;
      const matching: MatchingWindow[] = [];
      for (const entry of candidates) {
        if (entry.freezes === 0) continue;
        const current = containing(entry.source().between(at, at + 1), at);
        if (current === undefined) continue;
        frozenKinds |= entry.freezes;
        if ((entry.freezes & wanted) === 0) continue;
        const { id, name, level: windowLevel } = entry.window;
        level = stricter(level, windowLevel);
        matching.push({
          id,
          name,
          level: windowLevel,
          start: toIso(current.start),
          end: toIso(current.end),
          allow: entry.allow,
          inFlight: inFlightOf(entry.window),
        });
      }
      const relevant = candidates.filter((c) => (c.freezes & wanted) !== 0);
      const next = level === null ? nextStart(relevant, at) : levelChange(relevant, at, level);
      return {
        frozen: matching.length > 0,
        level,
        windows: matching.sort(byLevelStartId),
        allowedKinds: kindsOf(ALL_KINDS & ~frozenKinds),
        nextChange: next === null ? null : toIso(next),
      };
    },
  };
};

/** Freeze status of one query at one instant. For many queries, compile once with `compileWindows`. */
export const freezeStatus = (
  windows: readonly FreezeWindow[],
  query: FreezeQuery,
  at: string | number,
): FreezeStatus => compileWindows(windows).status(query, at);
