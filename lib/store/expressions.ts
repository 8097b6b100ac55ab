/**
 * Small builders for DynamoDB expressions. Attribute names are always written `#name` and values `:name`;
 * the placeholder maps are derived from the text, so no reserved word (`version`, `type`, `data`, ...)
 * can ever break an expression.
 */
export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

const namesIn = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/#([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => [m[0], m[1] ?? '']));

/** `expr('#version = :expected', { expected: 3 })` */
export const expr = (expression: string, values: Record<string, unknown> = {}): Expression => ({
  expression,
  names: namesIn(expression),
  values: Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v])),
});

/** `SET #a = :set_a, ...` for every defined value. */
export const setExpr = (values: Record<string, unknown>): Expression => {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  return {
    expression: `SET ${entries.map(([k]) => `#${k} = :set_${k}`).join(', ')}`,
    names: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
    values: Object.fromEntries(entries.map(([k, v]) => [`:set_${k}`, v])),
  };
};

/** DynamoDB rejects empty placeholder maps: merge, then leave them out when empty. */
export const placeholders = (
  ...parts: (Expression | undefined)[]
): {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} => {
  const names = Object.assign({}, ...parts.map((p) => p?.names ?? {})) as Record<string, string>;
  const values = Object.assign({}, ...parts.map((p) => p?.values ?? {})) as Record<string, unknown>;
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
};

/** Conditions used by every writer. */
export const conditions = {
  absent: expr('attribute_not_exists(#pk)'),
} as const;
