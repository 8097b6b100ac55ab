import semver from 'semver';
import type { Operator } from './operand.ts';

const compare = {
  SEMVER_EQ: semver.eq,
  SEMVER_GT: semver.gt,
  SEMVER_GTE: semver.gte,
  SEMVER_LT: semver.lt,
  SEMVER_LTE: semver.lte,
} as const;

/** Strict semantic versions (no `v` prefix), as Unleash reads them; pre-releases order below releases. */
export const isStrictSemver = (text: string): boolean => semver.valid(text) !== null && !text.startsWith('v');

/** SEMVER_*: the attribute against the constraint's version; either side not a version never matches. */
export const semverOperator: Operator = (constraint, attribute) => {
  const value = constraint.value ?? '';
  if (attribute === undefined || !isStrictSemver(attribute) || semver.valid(value) === null) return false;
  return compare[constraint.operator as keyof typeof compare](attribute, value);
};
