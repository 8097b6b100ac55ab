/**
 * Unleash patterns are RE2 syntax, Convoy's JavaScript's (lib/domain/core/linear-regex.ts). The
 * import translates what RE2 has and JavaScript spells differently: POSIX classes inside brackets
 * (`[[:alpha:]]`) and inline flags (`(?i)` applies to the rest of its group: `(?i:…)`).
 */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const INLINE_FLAGS = /^\(\?([ims]+)\)/;

export const translateRe2Pattern = (pattern: string): string => {
  const withClasses = pattern.replace(/\[:(\^?)([a-z]+):\]/g, (text, negated: string, name: string) => {
    const members = POSIX[name];
    // A negated POSIX class has no JavaScript spelling inside a bracket: left as written.
    return members === undefined || negated ? text : members;
  });
  let out = '';
  const closers: number[] = [0];
  for (let at = 0; at < withClasses.length;) {
    const char = withClasses[at] as string;
    const flags = INLINE_FLAGS.exec(withClasses.slice(at));
    if (char === '\\') {
      out += withClasses.slice(at, at + 2);
      at += 2;
    } else if (char === '[') {
      const end = withClasses.indexOf(']', at + 2);
      const stop = end === -1 ? withClasses.length : end + 1;
      out += withClasses.slice(at, stop);
      at = stop;
    } else if (flags) {
      out += `(?${flags[1]}:`;
      closers[closers.length - 1] = (closers.at(-1) as number) + 1;
      at += flags[0].length;
    } else if (char === '(') {
      out += char;
      closers.push(0);
      at += 1;
    } else if (char === ')') {
      out += ')'.repeat(closers.pop() ?? 0) + char;
      at += 1;
    } else {
      out += char;
      at += 1;
    }
  }
  return out + ')'.repeat(closers[0] ?? 0);
};
