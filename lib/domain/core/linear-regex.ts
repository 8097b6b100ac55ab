import { RE2JS } from 're2js';

/**
 * User-supplied regular expressions (a parameter's `pattern`, a JSON Schema `pattern`, a flag rule)
 * run on RE2 (re2js), whose matching time is linear in the input: with Node's backtracking engine a
 * pattern such as `^(a+)+$` and a value of a few dozen `a`s followed by `!` held the API for minutes.
 *
 * Users write JavaScript syntax with the `u` flag (what JSON Schema and the catalog document), and a
 * pattern matches like `RegExp.prototype.test`: an unanchored search unless the pattern anchors itself.
 * It is translated to RE2 syntax so that `.`, `\s`, `\S`, `[^]`, `[]`, `[\b]`, `\0`, `\cX`, `\uXXXX`
 * (surrogate pairs too), `\u{…}`, `\p{Script=…}`, `\p{Letter}` and `[[]` mean what they mean in
 * JavaScript.
 *
 * What differs, because no linear-time engine can do it: backreferences (`\1`, `\k<name>`) and
 * lookaround (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) are refused. So are repetition counts above 1000
 * and Unicode properties RE2 does not know: it knows general categories (`L`, `Letter`) and scripts
 * (`Greek`), not binary properties (`ASCII`) nor `Script_Extensions`. Inside `(?m:…)`, `^` and `$`
 * take only `\n` as a line end, and `(?i:…)` folds case by RE2's tables; both are rare in configuration.
 */

export interface LinearRegex {
  /** The pattern as written (JavaScript syntax). */
  readonly source: string;
  /** Like `RegExp.prototype.test`, in time linear in `text`. */
  test(text: string): boolean;
  /** `/source/u`: distinct per pattern (Ajv keys its compiled patterns by it). */
  toString(): string;
}

/** Why a pattern is refused: not JavaScript regular-expression syntax, or beyond a linear-time engine. */
export type LinearRegexRefusal = { ok: false; reason: 'invalid' | 'unsupported'; message: string };
export type CompiledLinearRegex = { ok: true; regex: LinearRegex } | LinearRegexRefusal;

/** How many compiled patterns a compiler keeps; the oldest goes first past it. */
export const LINEAR_REGEX_CACHE_LIMIT = 1000;

// ECMAScript WhiteSpace and LineTerminator (what `\s` matches with the `u` flag), and its complement.
const SPACE =
  '\\x{9}-\\x{d}\\x{20}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}' +
  '\\x{2028}-\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
const NOT_SPACE =
  '\\x{0}-\\x{8}\\x{e}-\\x{1f}\\x{21}-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}\\x{200b}-\\x{2027}' +
  '\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}';
// Outside `s` mode JavaScript's `.` stops at every line terminator, RE2's only at `\n`.
const DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const ANYTHING = '[\\x{0}-\\x{10ffff}]';
const NOTHING = '[^\\x{0}-\\x{10ffff}]';
const MODIFIERS = /^\(\?([ims]*)(?:-([ims]*))?:/;
const PROPERTY_PREFIX = /^(?:General_Category|gc|Script|sc)=/;
// JavaScript also spells general categories out; RE2 knows only the short names.
const CATEGORIES = new Map(
  Object.entries({
    Letter: 'L',
    Lowercase_Letter: 'Ll',
    Modifier_Letter: 'Lm',
    Other_Letter: 'Lo',
    Titlecase_Letter: 'Lt',
    Uppercase_Letter: 'Lu',
    Mark: 'M',
    Combining_Mark: 'M',
    Spacing_Mark: 'Mc',
    Enclosing_Mark: 'Me',
    Nonspacing_Mark: 'Mn',
    Number: 'N',
    Decimal_Number: 'Nd',
    digit: 'Nd',
    Letter_Number: 'Nl',
    Other_Number: 'No',
    Punctuation: 'P',
    punct: 'P',
    Connector_Punctuation: 'Pc',
    Dash_Punctuation: 'Pd',
    Close_Punctuation: 'Pe',
    Final_Punctuation: 'Pf',
    Initial_Punctuation: 'Pi',
    Other_Punctuation: 'Po',
    Open_Punctuation: 'Ps',
    Symbol: 'S',
    Currency_Symbol: 'Sc',
    Modifier_Symbol: 'Sk',
    Math_Symbol: 'Sm',
    Other_Symbol: 'So',
    Separator: 'Z',
    Line_Separator: 'Zl',
    Paragraph_Separator: 'Zp',
    Space_Separator: 'Zs',
    Other: 'C',
    Control: 'Cc',
    cntrl: 'Cc',
    Format: 'Cf',
    Private_Use: 'Co',
    Surrogate: 'Cs',
  }),
);

type Step = { ok: true; text: string; end: number } | { ok: false; message: string };

const hex = (codePoint: number): string => `\\x{${codePoint.toString(16)}}`;

const NO_LOOKAROUND = 'patterns run on a linear-time engine, which has no backreferences or lookaround';

const refuse = (construct: string, text: string): Step => ({
  ok: false,
  message: `uses ${construct} \`${text}\`; ${NO_LOOKAROUND}`,
});

/** `\uXXXX`, a `\uXXXX\uXXXX` surrogate pair, or `\u{…}`, as one RE2 code point escape. */
const unicodeEscape = (pattern: string, at: number): Step => {
  if (pattern[at + 2] === '{') {
    const close = pattern.indexOf('}', at);
    return { ok: true, text: hex(Number.parseInt(pattern.slice(at + 3, close), 16)), end: close + 1 };
  }
  const unit = Number.parseInt(pattern.slice(at + 2, at + 6), 16);
  const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(pattern.slice(at + 6));
  if (unit >= 0xd800 && unit <= 0xdbff && low) {
    const pair = String.fromCharCode(unit, Number.parseInt(low[1] as string, 16));
    return { ok: true, text: hex(pair.codePointAt(0) as number), end: at + 12 };
  }
  return { ok: true, text: hex(unit), end: at + 6 };
};

/** One escape of a pattern JavaScript accepted with `u`, starting at the backslash `at`. */
const escape = (pattern: string, at: number, inClass: boolean): Step => {
  const next = pattern[at + 1] as string;
  const simple = (text: string): Step => ({ ok: true, text, end: at + 2 });
  if (next === 'k') return refuse('a backreference', pattern.slice(at, pattern.indexOf('>', at) + 1));
  if (/[1-9]/.test(next)) return refuse('a backreference', /^\\\d+/.exec(pattern.slice(at))?.[0] as string);
  switch (next) {
    case '0':
      return simple(hex(0));
    case 'b':
      return simple(inClass ? hex(8) : '\\b');
    case 's':
      return simple(inClass ? SPACE : `[${SPACE}]`);
    case 'S':
      return simple(inClass ? NOT_SPACE : `[${NOT_SPACE}]`);
    case 'c':
      return { ok: true, text: hex((pattern.codePointAt(at + 2) as number) % 32), end: at + 3 };
    case 'u':
      return unicodeEscape(pattern, at);
    case 'p':
    case 'P': {
      const close = pattern.indexOf('}', at);
      const name = pattern.slice(at + 3, close).replace(PROPERTY_PREFIX, '');
      return { ok: true, text: `\\${next}{${CATEGORIES.get(name) ?? name}}`, end: close + 1 };
    }
    default:
      // \d \w \D \W \B \t \n \v \f \r \xHH and escaped syntax characters read the same in RE2.
      return simple(`\\${next}`);
  }
};

/** An opening parenthesis: a group RE2 knows, or lookaround, which it cannot do. */
const group = (pattern: string, at: number, dotAll: boolean): Step & { dotAll?: boolean } => {
  const head = pattern.slice(at, at + 4);
  if (!head.startsWith('(?')) return { ok: true, text: '(', end: at + 1, dotAll };
  if (head.startsWith('(?=') || head.startsWith('(?!')) return refuse('a lookahead', head.slice(0, 3));
  if (head === '(?<=' || head === '(?<!') return refuse('a lookbehind', head);
  // Names only capture, which testing never reads; RE2 is stricter about them, so drop them.
  if (head.startsWith('(?<')) return { ok: true, text: '(?:', end: pattern.indexOf('>', at) + 1, dotAll };
  // `(?:` and modifiers such as `(?i:`, `(?-s:`, `(?i-:`; RE2 wants no `-` when nothing is removed.
  const [written, add, remove = ''] = MODIFIERS.exec(pattern.slice(at)) as unknown as [
    string,
    string,
    string?,
  ];
  const mode = remove.includes('s') ? false : add.includes('s') || dotAll;
  const text = remove === '' ? `(?${add}:` : `(?${add}-${remove}:`;
  return { ok: true, text, end: at + written.length, dotAll: mode };
};

/** RE2 syntax for a pattern JavaScript accepted with the `u` flag, or why RE2 cannot run it. */
const toRe2 = (pattern: string): { ok: true; source: string } | { ok: false; message: string } => {
  let out = '';
  let at = 0;
  let charClass: { start: number; negated: boolean; empty: boolean } | undefined;
  const dotAll: boolean[] = [false];
  while (at < pattern.length) {
    const char = pattern[at] as string;
    const inside = dotAll[dotAll.length - 1] as boolean;
    if (char === '\\') {
      const step = escape(pattern, at, charClass !== undefined);
      if (!step.ok) return step;
      out += step.text;
      at = step.end;
      if (charClass) charClass.empty = false;
    } else if (charClass) {
      if (char === ']' && charClass.empty) {
        // JavaScript's `[]` matches nothing and `[^]` anything; RE2 would read `]` as a member.
        out = out.slice(0, charClass.start) + (charClass.negated ? ANYTHING : NOTHING);
        charClass = undefined;
      } else if (char === ']') {
        out += ']';
        charClass = undefined;
      } else {
        // A `[` is a member in JavaScript; in RE2 `[:alpha:]` would start a POSIX class.
        out += char === '[' ? '\\[' : char;
        charClass.empty = false;
      }
      at += 1;
    } else if (char === '[') {
      const negated = pattern[at + 1] === '^';
      charClass = { start: out.length, negated, empty: true };
      out += negated ? '[^' : '[';
      at += negated ? 2 : 1;
    } else if (char === '(') {
      const step = group(pattern, at, inside);
      if (!step.ok) return step;
      dotAll.push(step.dotAll as boolean);
      out += step.text;
      at = step.end;
    } else {
      if (char === ')') dotAll.pop();
      out += char === '.' ? (inside ? '(?s:.)' : DOT) : char;
      at += 1;
    }
  }
  return { ok: true, source: out };
};

const compile = (pattern: string): CompiledLinearRegex => {
  // Constructing a RegExp only parses it (nothing is matched): the syntax users write stays JavaScript's.
  try {
    new RegExp(pattern, 'u');
  } catch {
    return {
      ok: false,
      reason: 'invalid',
      message: `pattern /${pattern}/ is not a valid regular expression`,
    };
  }
  const translated = toRe2(pattern);
  if (!translated.ok) {
    return { ok: false, reason: 'unsupported', message: `pattern /${pattern}/ ${translated.message}` };
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(translated.source);
  } catch (error) {
    const detail = (error as Error).message.replace(/^error parsing regexp: /, '');
    const message = `pattern /${pattern}/ is not supported by the linear-time engine (${detail})`;
    return { ok: false, reason: 'unsupported', message };
  }
  const regex: LinearRegex = {
    source: pattern,
    test: (text) => re2.test(text),
    toString: () => `/${pattern}/u`,
  };
  return { ok: true, regex };
};

/** A compiler keeping at most `limit` patterns (refusals included), dropping the oldest first. */
export const createLinearRegexCompiler = (
  limit = LINEAR_REGEX_CACHE_LIMIT,
): ((pattern: string) => CompiledLinearRegex) => {
  const cache = new Map<string, CompiledLinearRegex>();
  return (pattern) => {
    const known = cache.get(pattern);
    if (known) return known;
    const compiled = compile(pattern);
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, compiled);
    return compiled;
  };
};

/** Compile a user pattern (JavaScript syntax, `u` flag) for linear-time matching; cached, bounded. */
export const compileLinearRegex = createLinearRegexCompiler();
