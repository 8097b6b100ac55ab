import { createHash } from 'node:crypto';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, arrays in order. Two documents
 * that differ only in key order serialise identically, so their hashes agree.
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Content hash of any JSON document, stable under key order. */
export const contentHash = (value: unknown): string => sha256(canonicalJson(value));

/** Deepest nesting a document may have; deeper input is rejected before recursive code sees it. */
export const MAX_DEPTH = 64;

/**
 * True when `value` nests objects or arrays deeper than `max`. Iterative, so hostile input cannot
 * overflow the stack here, and it stops at the limit, so cyclic objects terminate too.
 */
export const exceedsDepth = (value: unknown, max: number = MAX_DEPTH): boolean => {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [item, depth] = top;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
};
