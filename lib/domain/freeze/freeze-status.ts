import { badRequest } from '../core/errors.ts';
import { stricter, type ChangeKind, type FreezeLevel } from './change-kind.ts';
import {
  ALL_KINDS,
  compileWindow,
  kindBit,
  kindsOf,
  scopeCovers,
  type CompiledWindow,
} from './compiled-window.ts';
import { inFlightOf, type FreezeWindow, type InFlightPolicy } from './freeze-window.ts';
import { parseInstant, toIso } from './local-time.ts';
import { nextChange } from './next-change.ts';
import type { Interval } from './occurrences.ts';

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
  /** Kinds that no window in force for this scope freezes. */
  allowedKinds: ChangeKind[];
  /**
   * The next instant `frozen` or `level` changes for this query. Null when it does not change within
   * NEXT_START_HORIZON_MS (not frozen) or LEVEL_CHANGE_HORIZON_MS (frozen) — see next-change.ts.
   */
  nextChange: string | null;
}

/** A window in force for a change: whether it freezes the change's kind or permits it. */
export interface AppliedWindow extends MatchingWindow {
  permits: boolean;
}

export interface CompiledWindows {
  status(query: FreezeQuery, at: string | number): FreezeStatus;
  /** Every window in force at `at` whose scope covers the change, kind included. */
  applying(query: FreezeQuery & { kind: ChangeKind }, at: string | number): AppliedWindow[];
  /**
   * The first instant in (at, limit] where any window, whatever its scope, starts or ends; null when
   * none does. Until then no freeze status of any query can change.
   */
  boundaryAfter(at: number, limit: number): number | null;
}

const instant = (value: string | number): number => {
  const at = parseInstant(value);
  if (at === null)
    throw badRequest(`"${String(value)}" is not an instant (ISO 8601 with Z or an offset, or epoch ms)`);
  return at;
};

/** The current occurrence of a window: the union of its occurrences containing `at`. */
const current = (entry: CompiledWindow, at: number): Interval | undefined => {
  const hits = entry
    .source()
    .between(at, at + 1)
    .filter((o) => o.start <= at);
  if (hits.length === 0) return undefined;
  return { start: Math.min(...hits.map((o) => o.start)), end: Math.max(...hits.map((o) => o.end)) };
};

const describe = (entry: CompiledWindow, occurrence: Interval): MatchingWindow => ({
  id: entry.window.id,
  name: entry.window.name,
  level: entry.window.level,
  start: toIso(occurrence.start),
  end: toIso(occurrence.end),
  allow: entry.allow,
  inFlight: inFlightOf(entry.window),
});

const byLevelStartId = (a: MatchingWindow, b: MatchingWindow): number =>
  (a.level === b.level ? 0 : a.level === 'hard' ? -1 : 1) ||
  a.start.localeCompare(b.start) ||
  a.id.localeCompare(b.id);

const SCOPE_CACHE_LIMIT = 1000;

/**
 * Precompile windows for repeated queries: globs compile once, schedules on first use, expanded
 * occurrences stay cached per window, and the windows whose scope matches a query are remembered per
 * (environment, namespaces, teams). Windows must be valid (`freezeWindowSchema`).
 *
 * Rules: a window freezes a query when it is in force and its scope covers the query; a kind in its
 * allow list, a rollback (unless it forbids rollback) and a kind outside its `changeKinds` are not
 * frozen by it. Overlapping windows combine and the strictest level wins (hard > soft).
 */
export const compileWindows = (windows: readonly FreezeWindow[]): CompiledWindows => {
  const compiled = windows.map(compileWindow);
  const byScope = new Map<string, CompiledWindow[]>();
  const inScope = (query: FreezeQuery): CompiledWindow[] => {
    const key = JSON.stringify([query.environment, query.namespaces ?? null, query.teams ?? null]);
    let list = byScope.get(key);
    if (list === undefined) {
      list = compiled.filter((entry) => scopeCovers(entry, query));
      if (byScope.size >= SCOPE_CACHE_LIMIT) byScope.clear();
      byScope.set(key, list);
    }
    return list;
  };

  return {
    status(query, atInput) {
      const at = instant(atInput);
      const wanted = query.kind === undefined ? ALL_KINDS : kindBit(query.kind);
      const candidates = inScope(query);
      let frozenKinds = 0;
      let level: FreezeLevel | null = null;
      const matching: MatchingWindow[] = [];
      for (const entry of candidates) {
        if (entry.freezes === 0) continue;
        const occurrence = current(entry, at);
        if (occurrence === undefined) continue;
        frozenKinds |= entry.freezes;
        if ((entry.freezes & wanted) === 0) continue;
        level = stricter(level, entry.window.level);
        matching.push(describe(entry, occurrence));
      }
      const relevant = candidates.filter((entry) => (entry.freezes & wanted) !== 0);
      const next = nextChange(relevant, at, level);
      return {
        frozen: matching.length > 0,
        level,
        windows: matching.sort(byLevelStartId),
        allowedKinds: kindsOf(ALL_KINDS & ~frozenKinds),
        nextChange: next === null ? null : toIso(next),
      };
    },
    applying(query, atInput) {
      const at = instant(atInput);
      const bit = kindBit(query.kind);
      return inScope(query)
        .filter((entry) => (entry.scoped & bit) !== 0)
        .flatMap((entry) => {
          const occurrence = current(entry, at);
          return occurrence === undefined
            ? []
            : [{ ...describe(entry, occurrence), permits: (entry.freezes & bit) === 0 }];
        })
        .sort(byLevelStartId);
    },
    boundaryAfter(at, limit) {
      let first = Infinity;
      for (const entry of compiled) {
        for (const o of entry.source().between(at, limit + 1)) {
          if (o.start > at) first = Math.min(first, o.start);
          if (o.end > at) first = Math.min(first, o.end);
        }
      }
      return first <= limit ? first : null;
    },
  };
};

/** Freeze status of one query at one instant. For many queries, compile once with `compileWindows`. */
export const freezeStatus = (
  windows: readonly FreezeWindow[],
  query: FreezeQuery,
  at: string | number,
): FreezeStatus => compileWindows(windows).status(query, at);
