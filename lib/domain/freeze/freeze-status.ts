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

/** The earliest occurrence start in (at, limit) among `entries`, looking further ahead until found. */
const nextStart = (entries: readonly Compiled[], at: number, limit: number): number | null => {
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
const coveredUntil = (entries: readonly Compiled[], at: number, limit: number): number | null => {
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
 * The next instant the query's level changes. Not frozen: the first start of a freezing occurrence.
 * Hard: the end of the hard windows' unbroken cover. Soft: a hard start, or the end of the soft cover.
 */
const nextChange = (relevant: readonly Compiled[], at: number, level: FreezeLevel | null): number | null => {
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

const containing = (intervals: readonly Interval[], at: number): Interval | undefined => {
  const hits = intervals.filter((o) => o.start <= at && at < o.end);
  if (hits.length === 0) return undefined;
  return { start: Math.min(...hits.map((o) => o.start)), end: Math.max(...hits.map((o) => o.end)) };
};

const byLevelStartId = (a: MatchingWindow, b: MatchingWindow): number =>
  (a.level === b.level ? 0 : a.level === 'hard' ? -1 : 1) ||
  a.start.localeCompare(b.start) ||
  a.id.localeCompare(b.id);

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
      if (at === null)
        throw badRequest(
          `"${String(atInput)}" is not an instant (ISO 8601 with Z or an offset, or epoch ms)`,
        );
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
      const next = nextChange(relevant, at, level);
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
