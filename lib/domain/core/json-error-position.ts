/**
 * Offset of the first syntax error in a JSON text that JSON.parse rejected. V8 reports a position
 * for most errors but not for "Unexpected token", so this small scanner finds it. Iterative (an
 * explicit stack of open containers), so deep nesting cannot overflow it.
 */
export const jsonErrorOffset = (text: string): number => {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const scanString = (): boolean => {
    i += 1;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text.charAt(i + 1);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i += 2;
        else return false;
      } else i += 1;
    }
    return false;
  };
  const scanScalar = (): boolean => {
    if (text.charAt(i) === '"') return scanString();
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!match) return false;
    i += match[0].length;
    return true;
  };
  // Expecting a value (after `[`, `,` in an array, `:`, or at the top).
  const value = (): boolean => {
    skipSpace();
    const c = text.charAt(i);
    if (c === '{' || c === '[') {
      stack.push(c);
      i += 1;
      skipSpace();
      const close = c === '{' ? '}' : ']';
      if (text.charAt(i) === close) {
        stack.pop();
        i += 1;
        return afterValue();
      }
      return c === '{' ? key() : value();
    }
    return scanScalar() && afterValue();
  };
  const key = (): boolean => {
    skipSpace();
    if (text.charAt(i) !== '"' || !scanString()) return false;
    skipSpace();
    if (text.charAt(i) !== ':') return false;
    i += 1;
    return true;
  };
  // After a complete value: a comma, the close of the open container, or the end.
  const afterValue = (): boolean => {
    skipSpace();
    const open = stack.at(-1);
    if (open === undefined) return true;
    const c = text.charAt(i);
    if (c === ',') {
      i += 1;
      return open === '[' || key();
    }
    if ((open === '{' && c === '}') || (open === '[' && c === ']')) {
      stack.pop();
      i += 1;
      return afterValue();
    }
    return false;
  };
  // Each step consumes at least one character or fails, so this loop ends.
  for (;;) {
    const start = i;
    if (!value()) return Math.min(i, text.length);
    if (stack.length === 0) {
      skipSpace();
      return i;
    }
    if (i === start) return i;
  }
};
