import type { FlagSet } from '#api/flags/flag-set.ts';
import { stickinessOf, DEFAULT_BUCKETS } from '#domain/flags/bucket.ts';
import type { Constraint, Segment } from '#domain/flags/constraint.ts';
import { TARGETING_KEY } from '#domain/flags/context.ts';
import type { Bucketing, FlagDefinition, Rule } from '#domain/flags/flag.ts';
import type { FlagExportProblem } from './flag-export-problem.ts';
import { unmappable } from './flag-export-problem.ts';

/**
 * `convoy flag export --format openfeature`: flagd's flag-definition JSON (flagd-schemas json/flags.json,
 * providerConfig), read by flagd, its in-process providers and @openfeature/flagd-core.
 *
 * Mapping: rules become one JsonLogic `if` chain (first match wins; `null` falls to defaultVariant);
 * IN/NOT_IN → `in`, STR_STARTS_WITH/ENDS_WITH → `starts_with`/`ends_with`, STR_CONTAINS → `in` on text,
 * NUM_* → comparisons guarded against an absent attribute (JsonLogic reads null as 0), SEMVER_* →
 * `sem_ver`, `inverted` → `!`, segments inlined, rollouts → `fractional` bucketed on
 * `"<groupId>:<stickiness>"`, a rule's percentage → a two-way `fractional` compared with "in".
 * A disabled or killed flag is exported ENABLED serving its offVariant (flagd's DISABLED means "not
 * found", which would serve the caller's default instead).
 *
 * What cannot map, so the flag is left out and reported as a problem (never exported with other
 * semantics): DATE_* (no date operator), REGEX and IN_CIDR (no such operators), caseInsensitive string
 * operators (no lower-casing), prerequisites (flagd has no flag dependencies) and a list of stickiness
 * attributes. Known differences of what does map: flagd hashes fractional buckets its own way, so shares
 * hold but a context may land in another variant than in Convoy; a context lacking the stickiness value
 * falls through to defaultVariant where Convoy answers TARGETING_KEY_MISSING; flagd's `sem_ver` accepts
 * a `v` prefix ("v2.1.0") that Unleash's SEMVER operators refuse.
 */
export type JsonLogic = boolean | string | number | null | JsonLogic[] | { [op: string]: JsonLogic };

export interface FlagdFlag {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, unknown>;
  defaultVariant: string;
  targeting?: JsonLogic;
  metadata?: Record<string, string | number | boolean>;
}

export interface FlagdDocument {
  $schema: string;
  flags: Record<string, FlagdFlag>;
  metadata: { flagSetId: string; version: string };
}

export const FLAGD_SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

const anyOf = ([first, ...rest]: JsonLogic[]): JsonLogic =>
  first !== undefined && rest.length === 0
    ? first
    : { or: [...(first === undefined ? [] : [first]), ...rest] };
const allOf = ([first, ...rest]: JsonLogic[]): JsonLogic =>
  first === undefined ? true : rest.length === 0 ? first : { and: [first, ...rest] };

const numberOps = { NUM_EQ: '==', NUM_GT: '>', NUM_GTE: '>=', NUM_LT: '<', NUM_LTE: '<=' } as const;
const semverOps = {
  SEMVER_EQ: '=',
  SEMVER_GT: '>',
  SEMVER_GTE: '>=',
  SEMVER_LT: '<',
  SEMVER_LTE: '<=',
} as const;

/** Convoy reads attributes as text; JsonLogic's `in` compares strictly, so `"true"` also lists `true`. */
const typedToo = (value: string): (string | number | boolean)[] => {
  if (value === 'true' || value === 'false') return [value, value === 'true'];
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) ? [value, number] : [value];
};

/** One constraint as JsonLogic, or why it has none. */
const constraintLogic = (c: Constraint): JsonLogic | string => {
  const attribute = { var: c.attribute };
  const values = c.values ?? [];
  const op = c.operator;
  if (c.caseInsensitive === true && (op === 'IN' || op === 'NOT_IN' || op.startsWith('STR_'))) {
    return `${op} with caseInsensitive (flagd cannot lower-case)`;
  }
  let logic: JsonLogic;
  if (op === 'IN' || op === 'NOT_IN') {
    logic = { in: [attribute, values.flatMap(typedToo)] };
    if (op === 'NOT_IN') logic = { '!': logic };
  } else if (op === 'STR_STARTS_WITH') logic = anyOf(values.map((v) => ({ starts_with: [attribute, v] })));
  else if (op === 'STR_ENDS_WITH') logic = anyOf(values.map((v) => ({ ends_with: [attribute, v] })));
  else if (op === 'STR_CONTAINS') logic = anyOf(values.map((v) => ({ in: [v, attribute] })));
  else if (op in numberOps) {
    const compare = { [numberOps[op as keyof typeof numberOps]]: [attribute, Number(c.value)] };
    logic = { and: [{ '!=': [attribute, null] }, compare] };
  } else if (op in semverOps)
    logic = { sem_ver: [attribute, semverOps[op as keyof typeof semverOps], c.value ?? ''] };
  else return `${op} (no flagd operator)`;
  return c.inverted === true ? { '!': logic } : logic;
};

/** The value a rollout hashes: `"<groupId>:<stickiness>"`, as Convoy's own bucketing key reads. */
const bucketBy = (key: string, bucketing: Bucketing): JsonLogic | string => {
  const [name = TARGETING_KEY, ...more] = stickinessOf(bucketing);
  if (more.length > 0)
    return `stickiness fallback ${[name, ...more].join(', ')} (flagd buckets on one value)`;
  return { cat: [bucketing.groupId ?? key, ':', { var: name }] };
};

const ruleLogic = (
  key: string,
  rule: Rule,
  segments: Readonly<Record<string, Segment>>,
  why: string[],
): [JsonLogic, JsonLogic] => {
  const constraints = [
    ...rule.constraints,
    ...rule.segments.flatMap((name) =>
      Object.hasOwn(segments, name) ? (segments[name]?.constraints ?? []) : [],
    ),
  ];
  const terms: JsonLogic[] = [];
  for (const c of constraints) {
    const logic = constraintLogic(c);
    if (typeof logic === 'string') why.push(logic);
    else terms.push(logic);
  }
  if (rule.percentage) {
    const by = bucketBy(key, rule.percentage);
    const total = rule.percentage.buckets ?? DEFAULT_BUCKETS;
    if (typeof by === 'string') why.push(by);
    else
      terms.push({
        '==': [
          { fractional: [by, ['in', rule.percentage.weight], ['out', total - rule.percentage.weight]] },
          'in',
        ],
      });
  }
  if (rule.rollout) {
    const by = bucketBy(key, rule.rollout);
    if (typeof by === 'string') why.push(by);
    else return [allOf(terms), { fractional: [by, ...rule.rollout.split.map((s) => [s.variant, s.weight])] }];
  }
  return [allOf(terms), rule.variant ?? null];
};

const flagdFlag = (
  key: string,
  flag: FlagDefinition,
  segments: Readonly<Record<string, Segment>>,
): FlagdFlag | string[] => {
  const base = { state: 'ENABLED' as const, variants: flag.variants as Record<string, unknown> };
  if (!flag.enabled || flag.killed)
    return { ...base, defaultVariant: flag.offVariant, metadata: { convoyDisabled: true } };
  const why: string[] = [];
  if (flag.prerequisites.length > 0) why.push('prerequisites (flagd has no flag dependencies)');
  const branches = flag.rules.flatMap((rule) => ruleLogic(key, rule, segments, why));
  if (why.length > 0) return why;
  return {
    ...base,
    defaultVariant: flag.defaultVariant,
    ...(branches.length === 0 ? {} : { targeting: { if: [...branches, null] } }),
  };
};

/** The flag set as flagd flag definitions, with the flags left out and why. */
export const toFlagdFlags = (set: FlagSet): { document: FlagdDocument; problems: FlagExportProblem[] } => {
  const flags: Record<string, FlagdFlag> = {};
  const problems: FlagExportProblem[] = [];
  for (const [key, flag] of Object.entries(set.flags).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const out = flagdFlag(key, flag, set.segments);
    if (Array.isArray(out)) problems.push(unmappable(key, `not exported to flagd: ${out.join('; ')}`));
    else flags[key] = out;
  }
  return {
    document: {
      $schema: FLAGD_SCHEMA,
      flags,
      metadata: { flagSetId: set.environment, version: String(set.version) },
    },
    problems,
  };
};
