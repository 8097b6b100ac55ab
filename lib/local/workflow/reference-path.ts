/**
 * ASL Reference Paths (`$`, `$.a.b`, `$.list[0]`, `$['odd key']`): the single-value JSONPath subset that
 * TimeoutSecondsPath, SecondsPath and TimestampPath use. `undefined` when the path selects nothing.
 */
export const readReferencePath = (value: unknown, path: string): unknown => {
  if (!path.startsWith('$')) throw new Error(`"${path}" is not a reference path (it must start with $)`);
  let current = value;
  let rest = path.slice(1);
  while (rest.length > 0) {
    let key: string | number;
    const dotted = /^\.([^.[\]]+)/.exec(rest);
    const quoted = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest) ?? /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
    const indexed = /^\[\s*(\d+)\s*\]/.exec(rest);
    if (dotted?.[1] !== undefined) {
      key = dotted[1];
      rest = rest.slice(dotted[0].length);
    } else if (quoted?.[1] !== undefined) {
      key = quoted[1].replace(/\\(.)/g, '$1');
      rest = rest.slice(quoted[0].length);
    } else if (indexed?.[1] !== undefined) {
      key = Number(indexed[1]);
      rest = rest.slice(indexed[0].length);
    } else {
      throw new Error(`"${path}" is not a reference path this engine understands`);
    }
    if (typeof key === 'number') {
      current = Array.isArray(current) ? (current as unknown[])[key] : undefined;
    } else {
      current =
        typeof current === 'object' && current !== null && !Array.isArray(current)
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
};
