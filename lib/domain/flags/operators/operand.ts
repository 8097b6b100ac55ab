import type { Constraint } from '../constraint.ts';

/** The list a list operator compares with: empty entries dropped, the rest trimmed (as Unleash does). */
export const listOperand = (constraint: Constraint): string[] =>
  (constraint.values ?? []).filter((v) => v !== '').map((v) => v.trim());

/** An operator: does the attribute's text (undefined when absent) satisfy the constraint? */
export type Operator = (constraint: Constraint, attribute: string | undefined) => boolean;
