import { sha256 as sha256Bytes } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Any JSON value: what a parameter's value, default or schema may hold. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Documents repeat the same few member names thousands of times; quote each once.
const quotedKeys = new Map<string, string>();
const quoteKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size >= 10_000) quotedKeys.clear();
    quotedKeys.set(key, quoted);
  }
  return quoted;
};

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, undefined members dropped, no whitespace,
 * arrays in order. Two documents that differ only in key order serialise identically, so their
 * hashes agree. Built by appending to one string: hashing a 10k-change bundle is on the hot path.
 */
export const canonicalJson = (value: unknown): string => {
  let out = '';
  const write = (item: unknown): void => {
    if (item === null || typeof item !== 'object') {
      out += (JSON.stringify(item) as string | undefined) ?? 'null';
    } else if (Array.isArray(item)) {
      out += '[';
      for (let i = 0; i < item.length; i += 1) {
        if (i > 0) out += ',';
        write(item[i]);
      }
      out += ']';
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length > 1) keys.sort();
      let separator = '{';
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        out += `${separator}${quoteKey(key)}:`;
        separator = ',';
        write(member);
      }
      out += separator === '{' ? '{}' : '}';
    }
  };
  write(value);
  return out;
};

/** SHA-256 of UTF-8 text, hex. A pure implementation (@noble/hashes): the domain does no Node I/O. */
export const sha256 = (text: string): string => bytesToHex(sha256Bytes(utf8ToBytes(text)));

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
