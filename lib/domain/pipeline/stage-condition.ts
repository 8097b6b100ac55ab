import { z } from 'zod';
import { nameSchema } from '../core/names.ts';
import { parseWith } from '../core/zod-problems.ts';
import { stricter, type ChangeKind, type FreezeLevel } from '../freeze/change-kind.ts';
import type { CompiledWindows } from '../freeze/freeze-status.ts';

/**
 * The CodePipeline stage condition's evaluation: which environments a stage names, and whether any
 * is frozen for the kinds of change a stage makes.
 */

/** The kinds of change a pipeline stage makes: a progressive rollout's phases, or a plain deploy. */
const GATED_KINDS: readonly ChangeKind[] = ['rollout-phase', 'deploy'];

const targetSchema = z.union(
  [
    z.strictObject({ environments: z.array(nameSchema).min(1).max(50) }),
    z.strictObject({ environment: nameSchema }),
  ],
  { error: 'must be {"environments": ["prod-eu", ...]} or {"environment": "prod-eu"}' },
);

export interface EnvironmentGate {
  environment: string;
  frozen: boolean;
  level: FreezeLevel | null;
  /** Names of the windows that freeze it. */
  windows: string[];
}

export interface StageConditionResult {
  /** `invalid`: the input or an environment is wrong (answered to a job; thrown otherwise). */
  status: 'open' | 'frozen' | 'invalid';
  message: string;
  environments: EnvironmentGate[];
}

/** `{ environments }` / `{ environment }` as JSON, or a comma-separated list of environment names. */
const fromUserParameters = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return { environments: text.split(',').map((name) => name.trim()) };
  }
};

/**
 * The environments a stage names: the rule's `UserParameters` text when there is one, else the input
 * itself; a string when the input names none (why not).
 */
export const stageTargets = (userParameters: unknown, input: unknown): string[] | string => {
  const target = typeof userParameters === 'string' ? fromUserParameters(userParameters) : input;
  const parsed = parseWith(targetSchema, target);
  if (!parsed.ok)
    return `Invalid stage condition input: ${parsed.problems.map((p) => `${p.path || 'input'} ${p.message}`).join('; ')}.`;
  return 'environments' in parsed.value ? parsed.value.environments : [parsed.value.environment];
};

/**
 * Each environment's freeze for the kinds a stage deploys, at `at`: open when none is frozen, frozen
 * naming each environment's level and windows; unknown environments fail closed (invalid).
 */
export const evaluateStage = (
  compiled: CompiledWindows,
  known: ReadonlySet<string>,
  environments: readonly string[],
  at: string,
): StageConditionResult => {
  const unknown = environments.filter((env) => !known.has(env));
  if (unknown.length > 0)
    return { status: 'invalid', message: `Unknown environment(s): ${unknown.join(', ')}.`, environments: [] };
  const gates = environments.map((environment): EnvironmentGate => {
    const statuses = GATED_KINDS.map((kind) => compiled.status({ environment, kind }, at));
    const windows = [...new Set(statuses.flatMap((s) => s.windows.map((w) => w.name)))];
    const level = statuses.map((s) => s.level).reduce<FreezeLevel | null>(stricter, null);
    return { environment, frozen: statuses.some((s) => s.frozen), level, windows };
  });
  const frozen = gates.filter((gate) => gate.frozen);
  const message =
    frozen.length === 0
      ? `No freeze applies to ${environments.join(', ')}.`
      : `Frozen: ${frozen.map((g) => `${g.environment} (${g.level}) by ${g.windows.join(', ')}`).join('; ')}.`;
  return { status: frozen.length === 0 ? 'open' : 'frozen', message, environments: gates };
};
