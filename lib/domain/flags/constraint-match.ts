import type { Constraint, ConstraintOperator } from './constraint.ts';
import type { EvaluationContext } from './context.ts';
import { resolveAttribute } from './context.ts';
import { cidrOperator } from './operators/cidr-operator.ts';
import { dateOperator } from './operators/date-operator.ts';
import { inOperator } from './operators/in-operator.ts';
import { numberOperator } from './operators/number-operator.ts';
import type { Operator } from './operators/operand.ts';
import { regexOperator } from './operators/regex-operator.ts';
import { semverOperator } from './operators/semver-operator.ts';
import { stringOperator } from './operators/string-operator.ts';

const operators: Record<ConstraintOperator, Operator> = {
  IN: inOperator,
  NOT_IN: inOperator,
  STR_STARTS_WITH: stringOperator,
  STR_ENDS_WITH: stringOperator,
  STR_CONTAINS: stringOperator,
  NUM_EQ: numberOperator,
  NUM_GT: numberOperator,
  NUM_GTE: numberOperator,
  NUM_LT: numberOperator,
  NUM_LTE: numberOperator,
  DATE_AFTER: dateOperator,
  DATE_BEFORE: dateOperator,
  SEMVER_EQ: semverOperator,
  SEMVER_GT: semverOperator,
  SEMVER_GTE: semverOperator,
  SEMVER_LT: semverOperator,
  SEMVER_LTE: semverOperator,
  REGEX: regexOperator,
  IN_CIDR: cidrOperator,
};

/** The attribute Unleash's date constraints read; absent from the context it is the evaluation's clock. */
export const CURRENT_TIME = 'currentTime';

/** Does the context satisfy the constraint? `now` is epoch milliseconds; an unknown operator never matches. */
export const matchConstraint = (constraint: Constraint, context: EvaluationContext, now: number): boolean => {
  const operator = operators[constraint.operator] as Operator | undefined;
  if (operator === undefined) return false;
  const attribute =
    resolveAttribute(context, constraint.attribute) ??
    (constraint.attribute === CURRENT_TIME ? new Date(now).toISOString() : undefined);
  return operator(constraint, attribute) !== (constraint.inverted ?? false);
};
