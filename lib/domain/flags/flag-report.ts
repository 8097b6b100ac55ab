import { canonicalJson } from '../core/json.ts';
import type { FlagDefinition } from './flag.ts';
import type { RequirementStatus } from './requirements.ts';

const DAY_MS = 86_400_000;

/** A flag's requirement status (lib/domain/flags/requirements.ts computes it from the running services). */

/** The deployment that last changed a flag's definition in the environment. */
export interface FlagChange {
  deployment: string;
  bundle?: string;
  principal: string;
  at: string;
}

/** One hour's evaluation count of the flag (telemetry), `hour` as `yyyy-mm-ddThh` UTC. */
export interface FlagHourCount {
  hour: string;
  variant?: string;
  reason: string;
  count: number;
}

export interface FlagReportThresholds {
  /** Stale: no definition change for this many days... */
  staleDays: number;
  /** ...and one variant served to at least this share of the period's evaluations (0..1). */
  dominantShare: number;
  /** Stale too: not evaluated for this many days (a definition older than that). */
  unusedDays: number;
}

export const defaultFlagReportThresholds: FlagReportThresholds = {
  staleDays: 30,
  dominantShare: 0.999,
  unusedDays: 7,
};

export interface FlagReportFlag {
  key: string;
  definition: FlagDefinition;
  /** Undefined: no change found in the deployment history read (older than it). */
  lastChange?: FlagChange;
  requirements: RequirementStatus;
  /** The flag's counts in this environment, from `min(since, at - unusedDays)` to `at`. */
  counts: readonly FlagHourCount[];
  /** The flag's definition in the other environments of the release path (absent: not set there). */
  peers: readonly { environment: string; definition?: FlagDefinition }[];
}

export interface FlagReportInput {
  environment: string;
  /** The report's instant and the start of its period (ISO). */
  at: string;
  since: string;
  thresholds: FlagReportThresholds;
  flags: readonly FlagReportFlag[];
  /** Flags evaluated in any environment during the period. */
  evaluatedAnywhere: readonly string[];
  /** Environments a rollout in progress may still change: no drift is reported against them. */
  rolloutEnvironments: readonly string[];
  /** Flags a rollout in progress is ramping, and where: no drift is reported for them there. */
  rampingFlags?: readonly { environment: string; flag: string }[];
}

export type FlagFinding =
  | {
      kind: 'stale';
      reason: 'dominant-variant';
      variant: string;
      share: number;
      unchangedDays: number | null;
    }
  | { kind: 'stale'; reason: 'unused'; unusedDays: number }
  | { kind: 'inert'; unmet: Extract<RequirementStatus, { met: false }>['unmet'] }
  | { kind: 'orphaned' }
  | { kind: 'drift'; environments: string[] };
export type FlagFindingKind = FlagFinding['kind'];
export const flagFindingKinds: readonly FlagFindingKind[] = ['stale', 'inert', 'orphaned', 'drift'];

export interface VariantServed {
  variant: string;
  count: number;
  /** Share of the period's evaluations that served a value (0..1). */
  share: number;
}

export interface FlagReportEntry {
  key: string;
  type: FlagDefinition['type'];
  state: 'enabled' | 'disabled' | 'killed';
  /** Evaluations over the period, errors included. */
  evaluations: number;
  variants: VariantServed[];
  lastChange: FlagChange | null;
  requirements: RequirementStatus;
  findings: FlagFinding[];
}

export interface FlagReport {
  environment: string;
  at: string;
  since: string;
  thresholds: FlagReportThresholds;
  flags: FlagReportEntry[];
  /** How many flags have each finding. */
  summary: Record<FlagFindingKind, number> & { flags: number };
}

const hourStart = (hour: string): number => Date.parse(`${hour}:00:00Z`);
/** Counts of hours that overlap [from, ∞). */
const countsFrom = (counts: readonly FlagHourCount[], from: number): FlagHourCount[] =>
  counts.filter((c) => hourStart(c.hour) + 3_600_000 > from);

const stateOf = (flag: FlagDefinition): FlagReportEntry['state'] =>
  flag.killed ? 'killed' : flag.enabled ? 'enabled' : 'disabled';

const variantsServed = (counts: readonly FlagHourCount[]): VariantServed[] => {
  const byVariant = new Map<string, number>();
  for (const c of counts)
    if (c.variant !== undefined) byVariant.set(c.variant, (byVariant.get(c.variant) ?? 0) + c.count);
  const served = [...byVariant.values()].reduce((sum, n) => sum + n, 0);
  return [...byVariant.entries()]
    .map(([variant, count]) => ({ variant, count, share: count / served }))
    .sort((a, b) => b.count - a.count || (a.variant < b.variant ? -1 : 1));
};

const staleFinding = (
  flag: FlagReportFlag,
  variants: readonly VariantServed[],
  input: FlagReportInput,
): FlagFinding | undefined => {
  const at = Date.parse(input.at);
  const { staleDays, dominantShare, unusedDays } = input.thresholds;
  const changed = flag.lastChange === undefined ? -Infinity : Date.parse(flag.lastChange.at);
  const unchangedDays = Math.floor((at - changed) / DAY_MS);
  const recent = countsFrom(flag.counts, at - unusedDays * DAY_MS);
  if (recent.length === 0 && unchangedDays >= unusedDays)
    return { kind: 'stale', reason: 'unused', unusedDays };
  const top = variants[0];
  if (top !== undefined && unchangedDays >= staleDays && top.share >= dominantShare)
    return {
      kind: 'stale',
      reason: 'dominant-variant',
      variant: top.variant,
      share: top.share,
      // null: unchanged since before the deployment history read.
      unchangedDays: Number.isFinite(unchangedDays) ? unchangedDays : null,
    };
  return undefined;
};

const driftFinding = (flag: FlagReportFlag, input: FlagReportInput): FlagFinding | undefined => {
  const changing = (environment: string): boolean =>
    input.rolloutEnvironments.includes(environment) ||
    (input.rampingFlags ?? []).some((r) => r.environment === environment && r.flag === flag.key);
  if (changing(input.environment)) return undefined;
  const mine = canonicalJson(flag.definition);
  const environments = flag.peers
    .filter((peer) => peer.definition !== undefined && !changing(peer.environment))
    .filter((peer) => canonicalJson(peer.definition) !== mine)
    .map((peer) => peer.environment);
  return environments.length === 0 ? undefined : { kind: 'drift', environments };
};

/**
 * The flag report of an environment at an instant: each flag's state, the variants it served over
 * the period, its last change, its requirement status, and findings:
 * - **stale**: unchanged for `staleDays` with one variant served to ≥ `dominantShare` of the period's
 *   evaluations, or not evaluated for `unusedDays` (and unchanged as long);
 * - **inert**: its requirements are unmet (it serves its off variant whatever its rules say);
 * - **orphaned**: no flag of the environment names it as a prerequisite, and no environment evaluated it
 *   during the period;
 * - **drift**: its definition differs from another environment of the release path, neither being
 *   changed by a rollout in progress (a deploy phase changes its whole environment, a flag phase only
 *   the flag it ramps).
 * Pure: the instant, the period and the thresholds are parameters.
 */
export const flagReport = (input: FlagReportInput): FlagReport => {
  const since = Date.parse(input.since);
  const prerequisites = new Set(input.flags.flatMap((f) => f.definition.prerequisites.map((p) => p.flag)));
  const evaluated = new Set(input.evaluatedAnywhere);
  const flags = [...input.flags]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map((flag): FlagReportEntry => {
      const period = countsFrom(flag.counts, since);
      const variants = variantsServed(period);
      const findings: FlagFinding[] = [];
      const stale = staleFinding(flag, variants, input);
      if (stale) findings.push(stale);
      if (!flag.requirements.met) findings.push({ kind: 'inert', unmet: flag.requirements.unmet });
      if (!prerequisites.has(flag.key) && !evaluated.has(flag.key)) findings.push({ kind: 'orphaned' });
      const drift = driftFinding(flag, input);
      if (drift) findings.push(drift);
      return {
        key: flag.key,
        type: flag.definition.type,
        state: stateOf(flag.definition),
        evaluations: period.reduce((sum, c) => sum + c.count, 0),
        variants,
        lastChange: flag.lastChange ?? null,
        requirements: flag.requirements,
        findings,
      };
    });
  const count = (kind: FlagFindingKind): number =>
    flags.filter((f) => f.findings.some((x) => x.kind === kind)).length;
  return {
    environment: input.environment,
    at: input.at,
    since: input.since,
    thresholds: input.thresholds,
    flags,
    summary: {
      flags: flags.length,
      stale: count('stale'),
      inert: count('inert'),
      orphaned: count('orphaned'),
      drift: count('drift'),
    },
  };
};
