import type { Operator } from './operand.ts';

/**
 * DATE_AFTER / DATE_BEFORE: strictly after or before the constraint's instant. The attribute is the
 * instant to compare (constraint-match gives `currentTime` the evaluation's clock when the context
 * has none); an unparseable side never matches.
 */
export const dateOperator: Operator = (constraint, attribute) => {
  const value = Date.parse(constraint.value ?? '');
  const actual = Date.parse(attribute ?? '');
  if (Number.isNaN(value) || Number.isNaN(actual)) return false;
  return constraint.operator === 'DATE_AFTER' ? actual > value : actual < value;
};
