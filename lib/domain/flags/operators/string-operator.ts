import type { Operator } from './operand.ts';
import { listOperand } from './operand.ts';

const tests = {
  STR_STARTS_WITH: (text: string, value: string) => text.startsWith(value),
  STR_ENDS_WITH: (text: string, value: string) => text.endsWith(value),
  STR_CONTAINS: (text: string, value: string) => text.includes(value),
} as const;

/** STR_STARTS_WITH / STR_ENDS_WITH / STR_CONTAINS: any of the values; `caseInsensitive` folds both sides. */
export const stringOperator: Operator = (constraint, attribute) => {
  if (attribute === undefined) return false;
  const test = tests[constraint.operator as keyof typeof tests];
  const fold = (text: string): string => (constraint.caseInsensitive ? text.toLowerCase() : text);
  const text = fold(attribute);
  return listOperand(constraint).some((value) => test(text, fold(value)));
};
