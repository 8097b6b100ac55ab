import { compileLinearRegex } from '#domain/core/linear-regex.ts';
import type { Operator } from './operand.ts';

/** The pattern a REGEX constraint runs: `caseInsensitive` wraps it in a `(?i:…)` group. */
export const constraintPattern = (value: string, caseInsensitive: boolean | undefined): string =>
  caseInsensitive ? `(?i:${value})` : value;

/**
 * REGEX: an unanchored search (like Unleash's `find`) on the linear-time engine, in JavaScript syntax;
 * a pattern the engine refuses never matches (validation reports it as `flag.bad-regex`).
 */
export const regexOperator: Operator = (constraint, attribute) => {
  if (attribute === undefined) return false;
  const compiled = compileLinearRegex(constraintPattern(constraint.value ?? '', constraint.caseInsensitive));
  return compiled.ok && compiled.regex.test(attribute);
};
