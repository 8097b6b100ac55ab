import semver from 'semver';
import { formatCycle, cycleThrough } from '#domain/dependencies/cycle-path.ts';
import { stronglyConnected } from '#domain/dependencies/strongly-connected.ts';
import { problem } from '#domain/core/problem.ts';
import type { Problem } from '#domain/core/problem.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { stickinessOf, DEFAULT_BUCKETS } from './bucket.ts';
import type { Segment } from './constraint.ts';
import { segmentSchema } from './constraint.ts';
import type { FlagDefinition, Rule } from './flag.ts';
import { flagDefinitionSchema } from './flag.ts';
import type { ContextSchema } from './validate-constraint.ts';
import { constraintProblems, knownAttribute } from './validate-constraint.ts';

export type { AttributeType, ContextSchema } from './validate-constraint.ts';

export interface FlagValidation {
  problems: Problem[];
  /** The definitions that parsed (defaults applied), by key, and the segments, by name. */
  flags: Record<string, FlagDefinition>;
  segments: Record<string, Segment>;
}

const at = (path: string, problems: Problem[]): Problem[] =>
  problems.map((p) => ({ ...p, path: p.path ? `${path}.${p.path}` : path }));

const ruleProblems = (
  key: string,
  flag: FlagDefinition,
  rule: Rule,
  path: string,
  segments: Readonly<Record<string, Segment>>,
  schema: ContextSchema | undefined,
): Problem[] => {
  const out: Problem[] = [];
  const variantKnown = (name: string): boolean => Object.hasOwn(flag.variants, name);
  const unknownVariant = (name: string, where: string): void => {
    if (!variantKnown(name))
      out.push(
        problem('flag.unknown-variant', `variant ${name} is not one of the flag's variants`, {
          key,
          path: where,
        }),
      );
  };
  for (const [index, constraint] of rule.constraints.entries()) {
    out.push(...constraintProblems(constraint, { key, path: `${path}.constraints[${index}]` }, schema));
  }
  for (const [index, name] of rule.segments.entries()) {
    if (!Object.hasOwn(segments, name))
      out.push(
        problem('flag.unknown-segment', `segment ${name} is not defined`, {
          key,
          path: `${path}.segments[${index}]`,
        }),
      );
  }
  if ((rule.variant === undefined) === (rule.rollout === undefined)) {
    out.push(problem('flag.rule-serve', 'a rule serves either a `variant` or a `rollout`', { key, path }));
  }
  if (rule.variant !== undefined) unknownVariant(rule.variant, `${path}.variant`);
  for (const bucketing of [rule.percentage, rule.rollout]) {
    for (const name of bucketing ? stickinessOf(bucketing) : []) {
      if (!knownAttribute(name, schema))
        out.push(
          problem('flag.unknown-attribute', `context attribute ${name} is not declared`, {
            key,
            path: `${path}.stickiness`,
          }),
        );
    }
  }
  if (rule.percentage && rule.percentage.weight > (rule.percentage.buckets ?? DEFAULT_BUCKETS)) {
    out.push(
      problem(
        'flag.percentage-weight',
        `the weight exceeds the ${rule.percentage.buckets ?? DEFAULT_BUCKETS} buckets`,
        { key, path: `${path}.percentage.weight` },
      ),
    );
  }
  if (rule.rollout) {
    const buckets = rule.rollout.buckets ?? DEFAULT_BUCKETS;
    const total = rule.rollout.split.reduce((sum, entry) => sum + entry.weight, 0);
    if (total !== buckets)
      out.push(
        problem('flag.split-weights', `split weights sum to ${total}, not ${buckets}`, {
          key,
          path: `${path}.rollout.split`,
        }),
      );
    for (const [index, entry] of rule.rollout.split.entries())
      unknownVariant(entry.variant, `${path}.rollout.split[${index}].variant`);
  }
  return out;
};

const flagProblems = (
  key: string,
  flag: FlagDefinition,
  flags: Readonly<Record<string, FlagDefinition>>,
  segments: Readonly<Record<string, Segment>>,
  schema: ContextSchema | undefined,
): Problem[] => {
  const out: Problem[] = [];
  for (const field of ['defaultVariant', 'offVariant'] as const) {
    if (!Object.hasOwn(flag.variants, flag[field]))
      out.push(
        problem('flag.unknown-variant', `variant ${flag[field]} is not one of the flag's variants`, {
          key,
          path: field,
        }),
      );
  }
  for (const [index, rule] of flag.rules.entries())
    out.push(...ruleProblems(key, flag, rule, `rules[${index}]`, segments, schema));
  out.push(...requirementProblems(key, flag));
  for (const [index, prerequisite] of flag.prerequisites.entries()) {
    const path = `prerequisites[${index}]`;
    const parent = Object.hasOwn(flags, prerequisite.flag) ? flags[prerequisite.flag] : undefined;
    if (parent === undefined) {
      out.push(
        problem('flag.unknown-prerequisite', `prerequisite flag ${prerequisite.flag} is not defined`, {
          key,
          path: `${path}.flag`,
        }),
      );
      continue;
    }
    for (const [v, name] of prerequisite.variants.entries()) {
      if (!Object.hasOwn(parent.variants, name))
        out.push(
          problem('flag.unknown-variant', `variant ${name} is not one of ${prerequisite.flag}'s variants`, {
            key,
            path: `${path}.variants[${v}]`,
          }),
        );
    }
  }
  return out;
};

/** Deployment requirements: a semver range, and a variant (when given) the flag has. */
const requirementProblems = (key: string, flag: FlagDefinition): Problem[] =>
  (flag.requires ?? []).flatMap(({ range, variant }, index) => {
    const path = `requires[${index}]`;
    const out: Problem[] = [];
    if (semver.validRange(range) === null)
      out.push(
        problem('flag.requirement-range', `${JSON.stringify(range)} is not a semver range (e.g. >=2.3.0)`, {
          key,
          path: `${path}.range`,
        }),
      );
    if (variant !== undefined && !Object.hasOwn(flag.variants, variant))
      out.push(
        problem('flag.unknown-variant', `variant ${variant} is not one of the flag's variants`, {
          key,
          path: `${path}.variant`,
        }),
      );
    return out;
  });

/** Every prerequisite cycle, once each, as `flag.prerequisite-cycle` naming its path. */
const cycleProblems = (flags: Readonly<Record<string, FlagDefinition>>): Problem[] => {
  const graph = new Map(
    Object.entries(flags).map(([key, flag]) => [key, flag.prerequisites.map((p) => p.flag)]),
  );
  return stronglyConnected(graph)
    .filter((members) => members.length > 1 || (graph.get(members[0]) as string[]).includes(members[0]))
    .map((members) => {
      const cycle = cycleThrough(graph, new Set(members), members[0]);
      return problem('flag.prerequisite-cycle', `prerequisites form a cycle: ${formatCycle(cycle)}`, {
        key: members[0],
        path: 'prerequisites',
      });
    });
};

/**
 * Validate an environment's flag definitions and segments, reporting every problem at once with a
 * stable code: the schema (zod), unknown variants, segments and prerequisites, split weights, operand
 * literals the operators cannot read (semver, CIDR, number, date, a regex the linear-time engine
 * refuses), attributes the context schema (when given) does not declare or types an operator cannot
 * compare, and prerequisite cycles.
 */
export const validateFlags = (
  flags: Readonly<Record<string, unknown>>,
  segments: Readonly<Record<string, unknown>>,
  contextSchema?: ContextSchema,
): FlagValidation => {
  const problems: Problem[] = [];
  const parsedSegments: Record<string, Segment> = {};
  for (const [name, raw] of Object.entries(segments)) {
    const parsed = parseWith(segmentSchema, raw);
    if (!parsed.ok) {
      problems.push(...at(`segments.${name}`, parsed.problems).map((p) => ({ ...p, key: name })));
      continue;
    }
    parsedSegments[name] = parsed.value;
    for (const [index, constraint] of parsed.value.constraints.entries()) {
      problems.push(
        ...constraintProblems(
          constraint,
          { key: name, path: `segments.${name}.constraints[${index}]` },
          contextSchema,
        ),
      );
    }
  }
  const parsedFlags: Record<string, FlagDefinition> = {};
  for (const [key, raw] of Object.entries(flags)) {
    const parsed = parseWith(flagDefinitionSchema, raw);
    if (parsed.ok) parsedFlags[key] = parsed.value;
    else problems.push(...parsed.problems.map((p) => ({ ...p, key })));
  }
  for (const [key, flag] of Object.entries(parsedFlags)) {
    problems.push(...flagProblems(key, flag, parsedFlags, parsedSegments, contextSchema));
  }
  problems.push(...cycleProblems(parsedFlags));
  return { problems, flags: parsedFlags, segments: parsedSegments };
};

/** A live flag keeps its type: applications read it through a typed API (`flag.type-change`). */
export const validateFlagChange = (key: string, before: FlagDefinition, after: FlagDefinition): Problem[] =>
  before.type === after.type
    ? []
    : [
        problem(
          'flag.type-change',
          `flag ${key} is live as ${before.type}; it cannot become ${after.type} (create a new flag)`,
          { key, path: 'type' },
        ),
      ];
