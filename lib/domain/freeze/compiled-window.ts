import { changeKinds, type ChangeKind } from './change-kind.ts';
import { permittedKinds, type FreezeWindow } from './freeze-window.ts';
import { occurrenceSource, type OccurrenceSource } from './occurrences.ts';
import { dimensionApplies, globList, type GlobList } from './scope-match.ts';

export const ALL_KINDS = (1 << changeKinds.length) - 1;
export const kindBit = (kind: ChangeKind): number => 1 << changeKinds.indexOf(kind);
export const kindsOf = (mask: number): ChangeKind[] =>
  changeKinds.filter((kind) => (mask & kindBit(kind)) !== 0);

/** A window prepared for evaluation: globs compiled, kinds as bit masks, schedule compiled on first use. */
export interface CompiledWindow {
  window: FreezeWindow;
  environments: GlobList | undefined;
  namespaces: GlobList | undefined;
  teams: GlobList | undefined;
  /** Kinds inside the window's `changeKinds` scope. */
  scoped: number;
  /** Kinds the window freezes: scoped, not allowed, not a permitted rollback. */
  freezes: number;
  /** Kinds the window permits (everything it does not freeze). */
  allow: ChangeKind[];
  source: () => OccurrenceSource;
}

export const compileWindow = (window: FreezeWindow): CompiledWindow => {
  const kindScope = globList(window.scope.changeKinds);
  const scoped = changeKinds
    .filter((kind) => kindScope?.(kind) ?? true)
    .reduce((mask, kind) => mask | kindBit(kind), 0);
  const allow = permittedKinds(window, (kind) => (scoped & kindBit(kind)) !== 0);
  let source: OccurrenceSource | undefined;
  return {
    window,
    environments: globList(window.scope.environments),
    namespaces: globList(window.scope.namespaces),
    teams: globList(window.scope.teams),
    scoped,
    freezes: ALL_KINDS & ~allow.reduce((mask, kind) => mask | kindBit(kind), 0),
    allow,
    // Schedules compile on first use: a query only pays for the windows whose scope matches it.
    source: () => (source ??= occurrenceSource(window.schedule)),
  };
};

export interface ScopeQuery {
  environment: string;
  namespaces?: readonly string[] | undefined;
  teams?: readonly string[] | undefined;
}

/** Does the window's scope (environments, namespaces, teams) cover the change? Kinds are separate. */
export const scopeCovers = (entry: CompiledWindow, query: ScopeQuery): boolean =>
  dimensionApplies(entry.environments, [query.environment]) &&
  dimensionApplies(entry.namespaces, query.namespaces) &&
  dimensionApplies(entry.teams, query.teams);
