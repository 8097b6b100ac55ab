/** Where a key was found: its path from the document root, and its offset in the text (JSON only). */
export interface KeyFinding {
  key: string;
  path: (string | number)[];
  offset?: number;
}

/** At most this many findings are reported: enough to fix a document, never a huge answer. */
export const MAX_KEY_FINDINGS = 20;

interface Frame {
  /** Keys seen so far; null for an array. */
  keys: Set<string> | null;
  path: (string | number)[];
  /** The current member: the last key of an object, the index of an array. */
  member: string | number;
}

/**
 * Keys given twice in one object of a JSON text that JSON.parse accepted (JSON.parse keeps the last
 * one silently). A scan over the valid text, not a parser: only strings and the structural characters
 * matter, and an explicit stack keeps deep nesting off the call stack.
 */
export const duplicateJsonKeys = (text: string): KeyFinding[] => {
  const found: KeyFinding[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length && found.length < MAX_KEY_FINDINGS; i += 1) {
    const c = text.charCodeAt(i);
    const top = stack.at(-1);
    if (c === 0x22 /* " */) {
      const start = i;
      for (i += 1; text.charCodeAt(i) !== 0x22; i += 1) if (text.charCodeAt(i) === 0x5c /* \ */) i += 1;
      if (top?.keys && expectKey) {
        const raw = text.slice(start + 1, i);
        // Escapes are decoded, so "a" and "\u0061" are the same key.
        const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (top.keys.has(key)) found.push({ key, path: [...top.path, key], offset: start });
        top.keys.add(key);
        top.member = key;
        expectKey = false;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push({
        keys: c === 0x7b ? new Set() : null,
        path: top ? [...top.path, top.member] : [],
        member: 0,
      });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) stack.pop();
    else if (c === 0x2c /* , */ && top) {
      if (top.keys) expectKey = true;
      else top.member = (top.member as number) + 1;
    }
  }
  return found;
};

/** Keys that reach an object's prototype chain when a consumer merges or assigns them. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Every `__proto__`, `constructor` or `prototype` key in a parsed document, with its path. Iterative,
 * and meant for documents whose depth is already bounded (parseDocument refuses deeper ones).
 */
export const forbiddenKeys = (value: unknown): KeyFinding[] => {
  const found: KeyFinding[] = [];
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  for (let top = stack.pop(); top !== undefined && found.length < MAX_KEY_FINDINGS; top = stack.pop()) {
    const [item, path] = top;
    if (Array.isArray(item)) item.forEach((child, index) => stack.push([child, [...path, index]]));
    else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        if (FORBIDDEN_KEYS.has(key)) found.push({ key, path: [...path, key] });
        else stack.push([child, [...path, key]]);
      }
    }
  }
  return found;
};
