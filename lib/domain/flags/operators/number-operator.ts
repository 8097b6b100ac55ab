import type { Operator } from './operand.ts';

const compare = {
  NUM_EQ: (a: number, b: number) => a === b,
  NUM_GT: (a: number, b: number) => a > b,
  NUM_GTE: (a: number, b: number) => a >= b,
  NUM_LT: (a: number, b: number) => a < b,
  NUM_LTE: (a: number, b: number) => a <= b,
} as const;

/** NUM_*: both sides read as JavaScript numbers (`Number`); either not a number never matches. */
export const numberOperator: Operator = (constraint, attribute) => {
  const value = Number(constraint.value);
  const actual = Number(attribute);
  if (Number.isNaN(value) || Number.isNaN(actual)) return false;
  return compare[constraint.operator as keyof typeof compare](actual, value);
};
