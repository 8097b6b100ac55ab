import { z } from 'zod';
import type { JsonValue } from '../core/json.ts';
import { parameterKeySchema } from '../core/names.ts';
import { DEFAULT_BUCKETS } from '../flags/bucket.ts';
import { flagDefinitionSchema } from '../flags/flag.ts';

/**
 * A phase that ramps a flag instead of deploying the bundle (issue 12 §2):
 * `{ name, environments, bake, flag: { key, percent } }` raises the flag's share in each environment.
 *
 * What the percent applies to, precisely: the flag must have exactly ONE rule with a `rollout` (the
 * "rollout rule"), whose split has exactly two entries, exactly one of them the flag's `offVariant`.
 * The other entry is the **target** variant (`on` for a boolean flag). A step to `percent` gives the
 * target `percent × buckets / 100` buckets (thousandths by default: 5% = 50) and the off variant the
 * rest, keeping the entries in their declared order, so the target's bucket range only grows and a
 * context that was served the target at 5% is still served it at 25% (bucket.ts). Everything else in
 * the definition (other rules, enabled, killed, prerequisites) is left as it is.
 */
export const flagStepSchema = z.strictObject({
  key: parameterKeySchema,
  /** The target variant's share after the step, 0.1–100, in steps of 0.1. */
  percent: z
    .number()
    .gt(0)
    .max(100)
    .refine((percent) => Math.abs(Math.round(percent * 10) - percent * 10) < 1e-9, {
      message: 'must be a multiple of 0.1',
    }),
});
export type FlagStep = z.infer<typeof flagStepSchema>;

export type RampTarget =
  | { ok: true; ruleIndex: number; target: string; off: string; buckets: number }
  | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): RampTarget => ({ ok: false, code, message });

/** Which rule and variant a ramp moves in `definition` (as stored in a snapshot), or why it cannot. */
export const rampTarget = (key: string, definition: JsonValue | undefined): RampTarget => {
  if (definition === undefined)
    return refuse('strategy.flag-undefined', `flag ${key} has no definition in this environment`);
  const parsed = flagDefinitionSchema.safeParse(definition);
  if (!parsed.success)
    return refuse('strategy.flag-invalid', `the definition of flag ${key} is not a valid flag`);
  const flag = parsed.data;
  const rollouts = flag.rules.flatMap((rule, index) => (rule.rollout ? [index] : []));
  if (rollouts.length !== 1) {
    return refuse(
      'strategy.flag-rollout-rule',
      `flag ${key} has ${rollouts.length} rules with a rollout; a ramp needs exactly one`,
    );
  }
  const ruleIndex = rollouts[0] as number;
  const rollout = flag.rules[ruleIndex]?.rollout;
  const split = rollout?.split ?? [];
  const offs = split.filter((entry) => entry.variant === flag.offVariant);
  const others = split.filter((entry) => entry.variant !== flag.offVariant);
  if (split.length !== 2 || offs.length !== 1 || others.length !== 1) {
    return refuse(
      'strategy.flag-ambiguous-target',
      `the rollout of flag ${key} splits ${split.map((e) => e.variant).join(', ')}; a ramp needs exactly two variants, one of them the off variant "${flag.offVariant}"`,
    );
  }
  const buckets = rollout?.buckets ?? DEFAULT_BUCKETS;
  return { ok: true, ruleIndex, target: others[0]?.variant ?? '', off: flag.offVariant, buckets };
};

/** The target variant's weight at `percent`, or undefined when the bucket count cannot express it. */
export const rampWeight = (percent: number, buckets: number): number | undefined => {
  const weight = Math.round((percent * buckets) / 100);
  return Math.abs(weight - (percent * buckets) / 100) < 1e-9 ? weight : undefined;
};

type JsonObject = { [key: string]: JsonValue };

/** The definition with the rollout rule's split set to `percent` for the target (order kept), or why not. */
export const rampDefinition = (
  key: string,
  definition: JsonValue | undefined,
  percent: number,
): { ok: true; definition: JsonValue } | { ok: false; code: string; message: string } => {
  const target = rampTarget(key, definition);
  if (!target.ok) return target;
  const weight = rampWeight(percent, target.buckets);
  if (weight === undefined) {
    return {
      ok: false,
      code: 'strategy.flag-percent-granularity',
      message: `flag ${key} buckets into ${target.buckets}; ${percent}% is not a whole number of buckets`,
    };
  }
  const source = definition as JsonObject;
  const rules = [...(source.rules as JsonValue[])];
  const rule = rules[target.ruleIndex] as JsonObject;
  const rollout = rule.rollout as JsonObject;
  const split = (rollout.split as JsonObject[]).map((entry) => ({
    ...entry,
    weight: entry.variant === target.target ? weight : target.buckets - weight,
  }));
  rules[target.ruleIndex] = { ...rule, rollout: { ...rollout, split } };
  return { ok: true, definition: { ...source, rules } };
};

/** The target variant's share now, in percent (for reports), or undefined when the flag cannot ramp. */
export const rampPercent = (key: string, definition: JsonValue | undefined): number | undefined => {
  const target = rampTarget(key, definition);
  if (!target.ok) return undefined;
  const flag = flagDefinitionSchema.parse(definition);
  const weight = flag.rules[target.ruleIndex]?.rollout?.split.find(
    (e) => e.variant === target.target,
  )?.weight;
  return ((weight ?? 0) * 100) / target.buckets;
};
