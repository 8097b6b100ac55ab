import type { FlagSet } from '#api/flags/flag-set.ts';
import { DEFAULT_BUCKETS, stickinessOf } from '#domain/flags/bucket.ts';
import type { Constraint, Segment } from '#domain/flags/constraint.ts';
import { TARGETING_KEY } from '#domain/flags/context.ts';
import type { Bucketing, FlagDefinition, FlagValue, Rule } from '#domain/flags/flag.ts';
import type { FlagExportProblem } from './flag-export-problem.ts';
import { unmappable } from './flag-export-problem.ts';

/**
 * `convoy flag export --format appconfig`: an `AWS.AppConfig.FeatureFlags` document (version "1"),
 * hosted in the environment's own feature-flag profile.
 *
 * Mapping: a boolean flag's `on`/`off` is AppConfig's `enabled`; other flags are enabled and carry
 * their value in the attribute `value`. Rules become `_variants` in order (AppConfig evaluates them
 * top down, first match wins) ending with the rule-less default variant. Constraints become rule
 * expressions: IN → `in`, NOT_IN → `not in` (true for an absent attribute, as in Convoy),
 * STR_STARTS_WITH/ENDS_WITH/CONTAINS → `begins_with`/`ends_with`/`contains`, NUM_* → `eq`/`gt`/...
 * A rollout's entries become consecutive variants with `split` at the cumulative percentage, same `by`
 * and seed, so each gets its own share (the documented "A 20%, B 20%" pitfall is avoided); a rule's
 * percentage is one more `split`. AppConfig's split hashes its own way: shares hold, assignments differ.
 *
 * Left out and reported: flag keys AppConfig's pattern (`^[a-z][a-zA-Z\d_-]{0,63}$`, dots replaced by
 * `_`) cannot hold or that collide, JSON flags (attributes are scalars), DATE_* and SEMVER_* (no such
 * comparisons), REGEX (another dialect), IN_CIDR, caseInsensitive string operators, prerequisites, and
 * stickiness fallbacks, string values over 1,024 characters and more than 32 variants (the schema's
 * limits; names and descriptions are clipped to 64 and 1,024). A disabled or killed flag serves its
 * offVariant with no variants. Checked against AWS's published JSON schema (docs: "Understanding the
 * type reference for AWS.AppConfig.FeatureFlags"): `_createdAt`/`_updatedAt` are optional and left
 * out, so the same flags always make the same bytes; the split syntax is `(split pct::N by::$attr
 * seed::"s")` as in "Defining rules for multi-variant feature flags".
 */
export interface AppConfigVariant {
  name: string;
  enabled: boolean;
  rule?: string;
  attributeValues?: Record<string, FlagValue>;
}

export interface AppConfigFlagValue {
  enabled: boolean;
  value?: FlagValue;
  _variants?: AppConfigVariant[];
}

export interface AppConfigDocument {
  version: '1';
  flags: Record<
    string,
    { name: string; description?: string; attributes?: Record<string, { constraints: { type: string } }> }
  >;
  values: Record<string, AppConfigFlagValue>;
}

const KEY = /^[a-z][a-zA-Z\d_-]{0,63}$/;
/** The schema's limits: names `^[^\n]{1,64}$`, descriptions and string values 1,024, 32 variants. */
export const APPCONFIG_LIMITS = { name: 64, text: 1024, variants: 32 } as const;
const clip = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);
export const appConfigKey = (key: string): string => key.replace(/\./g, '_');

const text = (value: string): string => JSON.stringify(value);
const list = (values: readonly string[]): string => `[${values.map(text).join(', ')}]`;
const join = (op: 'and' | 'or', [first, ...rest]: string[]): string =>
  first !== undefined && rest.length === 0 ? first : `(${op} ${[first, ...rest].join(' ')})`;
const numberOps = { NUM_EQ: 'eq', NUM_GT: 'gt', NUM_GTE: 'gte', NUM_LT: 'lt', NUM_LTE: 'lte' } as const;
const stringOps = {
  STR_STARTS_WITH: 'begins_with',
  STR_ENDS_WITH: 'ends_with',
  STR_CONTAINS: 'contains',
} as const;

/** One constraint as a rule expression, or why there is none. */
const constraintRule = (c: Constraint): { rule: string } | { why: string } => {
  const ref = `$${c.attribute}`;
  const values = c.values ?? [];
  const op = c.operator;
  if (!/^[A-Za-z_][\w-]*$/.test(c.attribute)) return { why: `attribute name ${c.attribute}` };
  if (c.caseInsensitive === true && (op === 'IN' || op === 'NOT_IN' || op.startsWith('STR_'))) {
    return { why: `${op} with caseInsensitive` };
  }
  let rule: string;
  if (op === 'IN') rule = `(in ${ref} ${list(values)})`;
  else if (op === 'NOT_IN') rule = `(not (in ${ref} ${list(values)}))`;
  else if (op in stringOps)
    rule = join(
      'or',
      values.map((v) => `(${stringOps[op as keyof typeof stringOps]} ${ref} ${text(v)})`),
    );
  else if (op in numberOps && Number.isFinite(Number(c.value))) {
    rule = `(${numberOps[op as keyof typeof numberOps]} ${ref} ${Number(c.value)})`;
  } else return { why: `${op} (no AppConfig equivalent)` };
  return { rule: c.inverted === true ? `(not ${rule})` : rule };
};

const splitRule = (key: string, bucketing: Bucketing, share: number): { rule: string } | { why: string } => {
  const [name = TARGETING_KEY, ...more] = stickinessOf(bucketing);
  if (more.length > 0) return { why: `stickiness fallback ${[name, ...more].join(', ')}` };
  const pct = Number(((share * 100) / (bucketing.buckets ?? DEFAULT_BUCKETS)).toFixed(3));
  return { rule: `(split pct::${pct} by::$${name} seed::${text(bucketing.groupId ?? key)})` };
};

type Outcome = { variants: AppConfigVariant[]; exhaustive: boolean } | { why: string };

const ruleVariants = (
  key: string,
  index: number,
  rule: Rule,
  segments: Readonly<Record<string, Segment>>,
  serve: (variant: string) => AppConfigVariant,
): Outcome => {
  const constraints = [
    ...rule.constraints,
    ...rule.segments.flatMap((name) => segments[name]?.constraints ?? []),
  ];
  const terms: string[] = [];
  for (const c of constraints) {
    const out = constraintRule(c);
    if ('why' in out) return out;
    terms.push(out.rule);
  }
  if (rule.percentage) {
    const out = splitRule(key, rule.percentage, rule.percentage.weight);
    if ('why' in out) return out;
    terms.push(out.rule);
  }
  const named = (variant: string, extra: string[], suffix = '') => ({
    ...serve(variant),
    name: clip(`rule-${index}${suffix}-${variant}`, APPCONFIG_LIMITS.name),
    ...(terms.length + extra.length === 0 ? {} : { rule: join('and', [...terms, ...extra]) }),
  });
  if (!rule.rollout) return { variants: [named(rule.variant ?? '', [])], exhaustive: terms.length === 0 };
  const variants: AppConfigVariant[] = [];
  let cumulative = 0;
  for (const [i, entry] of rule.rollout.split.entries()) {
    cumulative += entry.weight;
    const out = splitRule(key, rule.rollout, cumulative);
    if ('why' in out) return out;
    variants.push(named(entry.variant, [out.rule], `.${i}`));
  }
  return { variants, exhaustive: false };
};

const flagValue = (
  key: string,
  flag: FlagDefinition,
  segments: Readonly<Record<string, Segment>>,
): AppConfigFlagValue | string[] => {
  const values = flag.variants as Readonly<Record<string, FlagValue>>;
  const serve = (variant: string): AppConfigVariant =>
    flag.type === 'boolean'
      ? { name: variant, enabled: values[variant] === true }
      : { name: variant, enabled: true, attributeValues: { value: values[variant] ?? null } };
  const plain = (variant: string): AppConfigFlagValue => {
    const { enabled, attributeValues } = serve(variant);
    return { enabled, ...attributeValues };
  };
  if (flag.type === 'json') return ['JSON values (AppConfig attributes are scalars)'];
  if (Object.values(values).some((v) => typeof v === 'string' && v.length > APPCONFIG_LIMITS.text))
    return [`a string value longer than ${APPCONFIG_LIMITS.text} characters`];
  if (!flag.enabled || flag.killed) return plain(flag.offVariant);
  if (flag.prerequisites.length > 0) return ['prerequisites'];
  const variants: AppConfigVariant[] = [];
  for (const [index, rule] of flag.rules.entries()) {
    const out = ruleVariants(key, index, rule, segments, serve);
    if ('why' in out) return [out.why];
    variants.push(...out.variants);
    if (out.exhaustive) break;
  }
  if (variants.length === 0) return plain(flag.defaultVariant);
  const last = variants.at(-1);
  const fallback =
    last?.rule === undefined && last !== undefined
      ? []
      : [{ ...serve(flag.defaultVariant), name: 'default' }];
  const all = [...variants, ...fallback];
  if (all.length > APPCONFIG_LIMITS.variants)
    return [`${all.length} variants (AppConfig holds ${APPCONFIG_LIMITS.variants})`];
  return { ...plain(flag.defaultVariant), _variants: all };
};

/** The flag set as an AWS.AppConfig.FeatureFlags document, with the flags left out and why. */
export const toAppConfigFlags = (
  set: FlagSet,
): { document: AppConfigDocument; problems: FlagExportProblem[] } => {
  const document: AppConfigDocument = { version: '1', flags: {}, values: {} };
  const problems: FlagExportProblem[] = [];
  for (const [key, flag] of Object.entries(set.flags).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = appConfigKey(key);
    const why = !KEY.test(target)
      ? [`key ${target} does not fit AppConfig's pattern`]
      : Object.hasOwn(document.values, target)
        ? [`key ${target} collides with another flag`]
        : [];
    const value = why.length > 0 ? why : flagValue(key, flag, set.segments);
    if (Array.isArray(value)) {
      problems.push(unmappable(key, `not exported to AppConfig: ${value.join('; ')}`));
      continue;
    }
    document.flags[target] = {
      name: clip(key, APPCONFIG_LIMITS.name),
      ...(flag.description === undefined
        ? {}
        : { description: clip(flag.description, APPCONFIG_LIMITS.text) }),
      ...(flag.type === 'boolean' ? {} : { attributes: { value: { constraints: { type: flag.type } } } }),
    };
    document.values[target] = value;
  }
  return { document, problems };
};
