import type { UnmetRequirement } from './requirements.ts';

/** A bundle (`name@version`), a set of bundles (a release), or a list of keys. */
export type ChangeSet = { bundles: readonly string[] } | { keys: readonly string[] };

export interface RunningRollout {
  id: string;
  /** `name@version` of the bundle it rolls out. */
  bundle: string;
  environments: readonly string[];
}

/** What a freeze predicate is asked about: the affected scope within [from, to]. */
export interface FreezeScope {
  environments: readonly string[];
  namespaces: readonly string[];
  teams: readonly string[];
  from: Date;
  to: Date;
}

export interface FreezeHit {
  window: string;
  /** When it starts (or started, when already in force). */
  startsAt: Date;
}

export interface FreezeImpact extends FreezeHit {
  /** Whole days until it starts (0 within a day or when in force). */
  inDays: number;
  /** In force at `now`. */
  active: boolean;
}

export interface ImpactOptions {
  environment?: string;
  now: Date;
  /** The team making the change when the change set is a list of keys. */
  author?: string;
  rollouts?: readonly RunningRollout[];
  /** The freeze windows covering the scope in its time range (the freeze domain answers this). */
  freezes?: (scope: FreezeScope) => readonly FreezeHit[];
  /** How far ahead freezes count; 14 days unless told. */
  horizonDays?: number;
}

export interface AffectedNode {
  /** Node id, e.g. `key:payments.checkout.retryBudgetMs` or `flag:new-checkout`. */
  id: string;
  /** From a changed key to this node, following references (or prerequisites) backwards: ids. */
  path: string[];
}

export interface ServiceImpact {
  service: string;
  team?: string;
  /** The changed or affected keys it consumes. */
  keys: string[];
  runs: { environment: string; version: string }[];
}

export interface OtherBundle {
  bundle: string;
  team?: string;
  /** Keys this change set also changes. */
  sameKeys: string[];
  /** Keys the change set affects through references. */
  affectedKeys: string[];
}

export interface RolloutConflict {
  rollout: string;
  bundle: string;
  environments: string[];
  keys: string[];
}

export interface PlanStep {
  /** `bundle:name@version` or `service:name` (a required service version goes first). */
  id: string;
  team?: string;
  /** The steps that must go before this one. */
  after: string[];
  /** A required service: where its running version does not satisfy the bundles' ranges. */
  unmet?: UnmetRequirement[];
}

export interface CoordinationPlan {
  authors: string[];
  /** Every affected team but the authors: they must be told or sign off. */
  signOff: string[];
  order: PlanStep[];
  cycles: string[][];
}

export interface Impact {
  /** Names: keys, bundles and keys of the change set the graph does not know. */
  unknown: string[];
  changed: string[];
  affected: AffectedNode[];
  flags: string[];
  services: ServiceImpact[];
  teams: string[];
  environments: string[];
  bundles: OtherBundle[];
  rollouts: RolloutConflict[];
  freezes: FreezeImpact[];
  plan: CoordinationPlan;
  summary: string;
}
