import { problem } from '#domain/core/problem.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { JsonValue } from '#domain/core/json.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import type { Constraint, Segment } from './constraint.ts';
import type { FlagDefinition, Prerequisite, Rule } from './flag.ts';
import type { UnleashFeature, UnleashSegment, UnleashStrategy, UnleashVariant } from './unleash-payload.ts';
import { unleashPayloadSchema, unleashState } from './unleash-payload.ts';
import { convertConstraint, strategyCondition, textParameter } from './unleash-strategy.ts';

/** Unleash variants hash with this seed into their total weight (`normalizedVariantValue`). */
export const UNLEASH_VARIANT_SEED = 86028157;
/** What Unleash's `default` stickiness tries for a variant. */
const DEFAULT_VARIANT_STICKINESS = ['userId', 'sessionId', 'remoteAddress'];
/** Served when the feature is off (Unleash's `disabled` variant with feature_enabled false). */
export const OFF = 'off';
/** Served when the feature is on but selects no variant (`disabled` variant with feature_enabled true). */
export const ON = 'on';

export interface UnleashImport {
  flags: Record<string, FlagDefinition>;
  segments: Record<string, Segment>;
  /** Payload problems (errors) and what could not be imported exactly (warnings). */
  problems: Problem[];
}

const warning = (code: string, message: string, key: string): Problem => ({
  ...problem(code, message, { key }),
  severity: 'warning',
});

/** Segments by Unleash id, named by their Unleash name (or `segment-<id>`), unique. */
const nameSegments = (segments: readonly UnleashSegment[]): Map<number, string> => {
  const names = new Map<number, string>();
  const taken = new Set<string>();
  for (const s of segments) {
    const base = s.name ?? `segment-${s.id}`;
    const name = taken.has(base) ? `${base}-${s.id}` : base;
    taken.add(name);
    names.set(s.id, name);
  }
  return names;
};

/** Rules serving Unleash variants: overrides first (in variant order), then the weighted split. */
const variantRules = (
  base: Omit<Rule, 'variant' | 'rollout'>,
  variants: readonly UnleashVariant[],
  stickiness: string,
  groupId: string,
): Rule[] => {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (total <= 0) return [{ ...base, variant: ON }];
  const rules: Rule[] = [];
  for (const v of variants) {
    for (const o of v.overrides ?? []) {
      const constraint: Constraint = { attribute: o.contextName, operator: 'IN', values: o.values };
      rules.push({ ...base, constraints: [...base.constraints, constraint], variant: v.name });
    }
  }
  const weighted = variants.filter((v) => v.weight > 0);
  // One variant takes every bucket: serve it outright, even where Unleash would draw at random.
  const first = (weighted[0] as UnleashVariant).name;
  if (weighted.length === 1) return [...rules, { ...base, variant: first }];
  const split = weighted.map((v) => ({ variant: v.name, weight: v.weight }));
  const sticky = stickiness === 'default' ? DEFAULT_VARIANT_STICKINESS : [stickiness];
  const rollout = { stickiness: sticky, groupId, seed: UNLEASH_VARIANT_SEED, buckets: total, split };
  // Without a stickiness value Unleash draws a variant at random; the import serves the first.
  return [...rules, { ...base, rollout }, { ...base, variant: first }];
};

const strategyRules = (
  feature: UnleashFeature,
  strategy: UnleashStrategy,
  segmentNames: ReadonlyMap<number, string>,
  problems: Problem[],
): Rule[] => {
  const condition = strategyCondition(strategy);
  if (condition.warning) problems.push(warning('unleash.strategy', condition.warning, feature.name));
  const constraints = (strategy.constraints ?? []).map(convertConstraint);
  const segments = (strategy.segments ?? []).map((id) => segmentNames.get(id));
  // Unleash never matches a strategy with an unknown operator or a missing segment: nor does the import.
  if (condition.never || constraints.includes(undefined) || segments.includes(undefined)) return [];
  const base = {
    constraints: [...condition.constraints, ...(constraints as Constraint[])],
    segments: segments as string[],
    ...(condition.percentage ? { percentage: condition.percentage } : {}),
  };
  const own = strategy.variants ?? [];
  if (own.reduce((sum, v) => sum + v.weight, 0) > 0) {
    const stickiness = own[0]?.stickiness || (textParameter(strategy.parameters, 'stickiness') ?? 'default');
    // unleash-client hashes `${groupId}:…` with the strategy's groupId, `undefined` when it has none.
    return variantRules(base, own, stickiness, String(textParameter(strategy.parameters, 'groupId')));
  }
  const variants = feature.variants ?? [];
  if (variants.length === 0) return [{ ...base, variant: ON }];
  return variantRules(base, variants, variants[0]?.stickiness || 'default', feature.name);
};

const payloadOf = (v: UnleashVariant): JsonValue =>
  v.payload ? { type: v.payload.type, value: v.payload.value } : null;

/** Variant names a flag can serve while its Unleash feature is enabled. */
const enabledVariants = (flag: FlagDefinition | undefined): string[] =>
  flag === undefined ? [ON] : Object.keys(flag.variants).filter((name) => name !== OFF);

const featureFlag = (
  feature: UnleashFeature,
  segmentNames: ReadonlyMap<number, string>,
  problems: Problem[],
): FlagDefinition => {
  const strategies = feature.strategies ?? [];
  const rules =
    strategies.length === 0
      ? strategyRules(feature, { name: 'default' }, segmentNames, problems)
      : strategies.flatMap((s) => strategyRules(feature, s, segmentNames, problems));
  const common = {
    ...(feature.description ? { description: feature.description } : {}),
    enabled: feature.enabled,
    killed: false,
    defaultVariant: OFF,
    offVariant: OFF,
    rules,
    prerequisites: [],
  };
  const all = [...(feature.variants ?? []), ...strategies.flatMap((s) => s.variants ?? [])];
  if (all.length === 0) return { type: 'boolean', variants: { on: true, off: false }, ...common };
  const variants: Record<string, JsonValue> = { [OFF]: null, [ON]: null };
  for (const v of all) {
    if (v.name === OFF || v.name === ON)
      problems.push(
        warning(
          'unleash.variant-name',
          `variant ${v.name} clashes with Convoy's ${v.name} variant`,
          feature.name,
        ),
      );
    else variants[v.name] = payloadOf(v);
  }
  return { type: 'json', variants, ...common };
};

/**
 * Convoy flag definitions and segments from an Unleash `/api/client/features` payload (or delta API
 * events), evaluating as unleash-client does:
 * - a feature is a boolean flag, or a JSON flag when it has variants (values are the payloads, `on`
 *   and `off` serve null); `off` is served while disabled and when no strategy matches, so the
 *   feature is enabled exactly when the variant is not `off`;
 * - each strategy becomes rules (in order, first match wins): its constraints and segments, its
 *   rollout as a `percentage` (seed 0, 100 buckets), serving the strategy's variants, else the
 *   feature's, else `on`; variant overrides become rules before the split (seed 86028157, buckets
 *   = total weight); a strategy Unleash could never match (unknown operator or segment, custom
 *   strategy, 0%) is left out;
 * - dependencies become prerequisites: `enabled: false` wants `off`, listed variants those, else any
 *   variant but `off`. Convoy follows prerequisites of any depth where Unleash fails a parent that
 *   has dependencies of its own (a warning).
 */
export const importUnleash = (payload: unknown): UnleashImport => {
  const parsed = parseWith(unleashPayloadSchema, payload);
  if (!parsed.ok) return { flags: {}, segments: {}, problems: parsed.problems };
  const state = unleashState(parsed.value);
  const problems: Problem[] = [];
  const segmentNames = nameSegments(state.segments);
  const segments: Record<string, Segment> = {};
  for (const s of state.segments) {
    const constraints = s.constraints.map(convertConstraint);
    if (constraints.includes(undefined))
      problems.push(
        warning(
          'unleash.segment',
          `segment ${s.id} uses an unknown operator; it never matches`,
          String(s.id),
        ),
      );
    segments[segmentNames.get(s.id) as string] = {
      constraints: constraints.map((c) => c ?? { attribute: 'never', operator: 'IN', values: [] }),
    };
  }
  const flags: Record<string, FlagDefinition> = {};
  for (const feature of state.features) flags[feature.name] = featureFlag(feature, segmentNames, problems);
  const byName = new Map(state.features.map((f) => [f.name, f]));
  for (const feature of state.features) {
    const flag = flags[feature.name] as FlagDefinition;
    flag.prerequisites = (feature.dependencies ?? []).map((d): Prerequisite => {
      if (byName.get(d.feature)?.dependencies?.length)
        problems.push(
          warning(
            'unleash.nested-dependency',
            `${d.feature} has dependencies of its own: Unleash never enables ${feature.name}, Convoy follows them`,
            feature.name,
          ),
        );
      if (d.enabled === false) return { flag: d.feature, variants: [OFF] };
      // Unleash names "enabled, no variant" `disabled`, which is Convoy's `on` here.
      if (d.variants?.length)
        return { flag: d.feature, variants: d.variants.map((v) => (v === 'disabled' ? ON : v)) };
      return { flag: d.feature, variants: enabledVariants(flags[d.feature]) };
    });
  }
  return { flags, segments, problems };
};
