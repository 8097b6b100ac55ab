import semver from 'semver';
import { compileLinearRegex } from '#domain/core/linear-regex.ts';
import { problem } from '#domain/core/problem.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { Constraint, ConstraintOperator } from './constraint.ts';
import { listOperators } from './constraint.ts';
import { CURRENT_TIME } from './constraint-match.ts';
import { TARGETING_KEY } from './context.ts';
import { parseRange } from './operators/cidr-operator.ts';
import { constraintPattern } from './operators/regex-operator.ts';

/** The types a context attribute can be declared with (the catalog's context schema). */
export const attributeTypes = ['string', 'number', 'boolean', 'date', 'semver', 'ip'] as const;
export type AttributeType = (typeof attributeTypes)[number];
export type ContextSchema = Readonly<Record<string, AttributeType>>;

const family = (operator: ConstraintOperator): readonly AttributeType[] | undefined => {
  if (operator.startsWith('NUM_')) return ['number'];
  if (operator.startsWith('DATE_')) return ['date'];
  if (operator.startsWith('SEMVER_')) return ['semver', 'string'];
  if (operator === 'IN_CIDR') return ['ip', 'string'];
  if (operator.startsWith('STR_') || operator === 'REGEX') return ['string', 'semver', 'ip', 'date'];
  return undefined;
};

/** Attributes every context may carry without being declared. */
const builtIn = new Set([TARGETING_KEY, CURRENT_TIME]);

/** Is `name` an attribute the schema declares (or a built-in one)? Any name when there is no schema. */
export const knownAttribute = (name: string, schema: ContextSchema | undefined): boolean =>
  schema === undefined || builtIn.has(name) || Object.hasOwn(schema, name);

/** A literal the operator cannot read: the problem, or undefined. */
const badLiteral = (
  operator: ConstraintOperator,
  literal: string,
  caseInsensitive?: boolean,
): [string, string] | undefined => {
  if (operator.startsWith('SEMVER_') && semver.valid(literal) === null) {
    return ['flag.bad-semver', `${JSON.stringify(literal)} is not a semantic version (x.y.z)`];
  }
  if (operator === 'IN_CIDR' && parseRange(literal) === undefined) {
    return ['flag.bad-cidr', `${JSON.stringify(literal)} is not an IP address or CIDR range`];
  }
  if (operator.startsWith('NUM_') && Number.isNaN(Number(literal))) {
    return ['flag.bad-number', `${JSON.stringify(literal)} is not a number`];
  }
  if (operator.startsWith('DATE_') && Number.isNaN(Date.parse(literal))) {
    return ['flag.bad-date', `${JSON.stringify(literal)} is not a date (ISO 8601)`];
  }
  if (operator === 'REGEX') {
    const compiled = compileLinearRegex(constraintPattern(literal, caseInsensitive));
    if (!compiled.ok) return ['flag.bad-regex', compiled.message];
  }
  return undefined;
};

/** Every problem of one constraint: its operand, its literals, and its attribute against the schema. */
export const constraintProblems = (
  constraint: Constraint,
  where: { key: string; path: string },
  schema: ContextSchema | undefined,
): Problem[] => {
  const out: Problem[] = [];
  const { operator, attribute } = constraint;
  const list = listOperators.has(operator);
  const literals = list ? constraint.values : constraint.value === undefined ? undefined : [constraint.value];
  if (literals === undefined) {
    const field = list ? 'values' : 'value';
    out.push(
      problem('flag.constraint-operand', `${operator} needs \`${field}\``, {
        ...where,
        path: `${where.path}.${field}`,
      }),
    );
  }
  for (const [index, literal] of (literals ?? []).entries()) {
    const bad = badLiteral(operator, literal, constraint.caseInsensitive);
    const path = list ? `${where.path}.values[${index}]` : `${where.path}.value`;
    if (bad) out.push(problem(bad[0], bad[1], { ...where, path }));
  }
  if (!knownAttribute(attribute, schema)) {
    out.push(
      problem('flag.unknown-attribute', `context attribute ${attribute} is not declared`, {
        ...where,
        path: `${where.path}.attribute`,
      }),
    );
    return out;
  }
  const declared = schema?.[attribute];
  const accepted = family(operator);
  if (declared !== undefined && accepted !== undefined && !accepted.includes(declared)) {
    const message = `${operator} cannot compare context attribute ${attribute}, declared ${declared}`;
    out.push(problem('flag.attribute-type', message, { ...where, path: `${where.path}.operator` }));
  }
  return out;
};
