import type { Operator } from './operand.ts';
import { listOperand } from './operand.ts';

/** IN / NOT_IN: exact text equality with one of the values; an absent attribute is in no list. */
export const inOperator: Operator = (constraint, attribute) => {
  const isIn = attribute !== undefined && listOperand(constraint).includes(attribute);
  return constraint.operator === 'IN' ? isIn : !isIn;
};
