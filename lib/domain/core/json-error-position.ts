const SPACE = new Set([' ', '\t', '\n', '\r']);
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Offset of the first syntax error in a JSON text (the text's length when it is valid). V8 reports a
 * position for most errors but not for "Unexpected token", so this small scanner finds it. It is a
 * loop over an explicit stack of open containers, so deep nesting cannot overflow it.
 */
export const jsonErrorOffset = (text: string): number => {
  let i = 0;
  const stack: string[] = [];
  const skipSpace = (): void => {
    while (SPACE.has(text.charAt(i))) i += 1;
  };
  const scanString = (): boolean => {
    if (text.charAt(i) !== '"') return false;
    for (i += 1; i < text.length;) {
      const c = text.charAt(i);
      if (c === '"') {
        i += 1;
        return true;
      }
      if (c < ' ') return false;
      if (c !== '\\') i += 1;
      else if (text.charAt(i + 1) === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else if ('"\\/bfnrt'.includes(text.charAt(i + 1)) && i + 1 < text.length) i += 2;
      else return false;
    }
    return false;
  };
  const scanKey = (): boolean => {
    skipSpace();
    if (!scanString()) return false;
    skipSpace();
    if (text.charAt(i) !== ':') return false;
    i += 1;
    return true;
  };
  let expectValue = true;
  for (;;) {
    skipSpace();
    const c = text.charAt(i);
    if (expectValue) {
      if (c === '{' || c === '[') {
        stack.push(c === '{' ? '}' : ']');
        i += 1;
        skipSpace();
        if (text.charAt(i) === stack.at(-1)) {
          stack.pop();
          i += 1;
          expectValue = false;
        } else if (c === '{' && !scanKey()) return i;
        continue;
      }
      SCALAR.lastIndex = i;
      if (c === '"' ? !scanString() : !SCALAR.test(text)) return i;
      if (c !== '"') i = SCALAR.lastIndex;
      expectValue = false;
      continue;
    }
    const close = stack.at(-1);
    if (close === undefined) return i;
    if (c === ',') {
      i += 1;
      if (close === '}' && !scanKey()) return i;
      expectValue = true;
    } else if (c === close) {
      stack.pop();
      i += 1;
    } else return i;
  }
};
