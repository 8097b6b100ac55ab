/**
 * The subset of EventBridge/Pipes pattern matching Convoy's filters use: nested objects whose leaves
 * are lists of exact values. Enough to check what a filter lets through, not a general matcher.
 */
export type Pattern = { [key: string]: Pattern | readonly unknown[] };

export const matchesPattern = (pattern: Pattern, event: unknown): boolean =>
  Object.entries(pattern).every(([key, expected]) => {
    const actual = event && typeof event === 'object' ? (event as Record<string, unknown>)[key] : undefined;
    return Array.isArray(expected) ? expected.includes(actual) : matchesPattern(expected as Pattern, actual);
  });
