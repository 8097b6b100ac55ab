import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileLinearRegex,
  createLinearRegexCompiler,
  LINEAR_REGEX_CACHE_LIMIT,
} from '#domain/core/linear-regex.ts';

const test = (pattern: string, text: string): boolean => {
  const compiled = compileLinearRegex(pattern);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex.test(text);
};

describe('compileLinearRegex matches like RegExp.prototype.test with the u flag', () => {
  it.each<[string, string, string, boolean]>([
    ['an unanchored search', 'https://', 'see https://x', true],
    ['an anchored miss', '^https://', 'see https://x', false],
    ['$ at the very end only', 'a$', 'a\n', false],
    ['the empty pattern', '', 'anything', true],
    ['a code point for .', '^.$', '😀', true],
    ['no \\r for .', '^.$', '\r', false],
    ['no line separator for .', '^.$', '\u2028', false],
    ['any . inside (?s:)', '^(?s:.)$', '\n', true],
    ['(?-s:) turning s off again', '^(?s:(?-s:.))$', '\n', false],
    ['(?i:) folding case', '^(?i:abc)$', 'AbC', true],
    ['(?i-s:) with both', '^(?i-s:a.)$', 'A\n', false],
    ['(?i-:) removing nothing', '^(?i-:a)$', 'A', true],
    ['(?m:) lines', '(?m:^b$)', 'a\nb\nc', true],
    ['Unicode spaces for \\s', '^\\s+$', '\u00a0\u2003\u3000\ufeff\v', true],
    ['no letter for \\s', '\\s', 'x', false],
    ['\\S outside a class', '^\\S$', '\u1680', false],
    ['\\S in a class', '^[\\S]+$', 'x😀', true],
    ['\\s in a negated class', '^[^\\s]$', '\u2029', false],
    ['\\s in a class', '^[\\sx]+$', ' x\t', true],
    ['ASCII \\d', '\\d', '٣', false],
    ['ASCII \\w', '^\\w+$', 'héllo', false],
    ['word boundaries', '\\bfoo\\b', 'a foo b', true],
    ['backspace for [\\b]', '^[\\b]$', '\b', true],
    ['anything for [^]', '^[^]$', '\n', true],
    ['nothing for []', 'a[]', 'a', false],
    ['[ as a member', '^[[:a]+$', ':[a', true],
    ['NUL for \\0', '^\\0$', '\0', true],
    ['control escapes', '^\\cJ[\\cM]$', '\n\r', true],
    ['\\uXXXX', '^\\u0041$', 'A', true],
    ['a surrogate pair', '^\\uD83D\\uDE00$', '😀', true],
    ['a lone high surrogate then a letter', '^\\uD83Dx$', '\ud83dx', true],
    ['a lone low surrogate', '\\uDE00', 'a', false],
    ['\\u{…}', '^\\u{1F600}$', '😀', true],
    ['ranges of escapes', '^[\\u0041-\\u005A]+$', 'QZ', true],
    ['\\xHH', '^\\x41[\\x42]$', 'AB', true],
    ['general categories', '^\\p{Lu}\\P{Lu}$', 'Ab', true],
    ['gc=', '^\\p{gc=Lu}$', 'A', true],
    ['long category names', '^\\p{Letter}\\P{Uppercase_Letter}$', 'éa', true],
    ['long category names after gc=', '^\\p{General_Category=Decimal_Number}$', '٣', true],
    ['Script=', '^\\p{Script=Greek}+$', 'αβ', true],
    ['sc=', '^\\p{sc=Greek}$', 'a', false],
    ['named groups', '^(?<year>\\d{4})-(?<month>\\d{2})$', '2026-12', true],
    ['a name used twice in alternatives', '^(?:(?<x>a)|(?<x>b))$', 'b', true],
    ['escaped syntax characters', '^\\/\\.\\*\\(\\)$', '/.*()', true],
    ['an escaped dash in a class', '^[\\-a]+$', '-a', true],
    ['a bounded repetition', '^a{2,3}$', 'aaaa', false],
    ['a lazy quantifier', '^a+?$', 'aa', true],
  ])('%s: /%s/ on %j → %s', (_, pattern, text, expected) => {
    expect(new RegExp(pattern, 'u').test(text)).toBe(expected);
    expect(test(pattern, text)).toBe(expected);
  });

  it('agrees with RegExp on arbitrary text', () => {
    const patterns = ['^.+$', '\\s', '\\S+', '[^\\s]', '^[\\S\\s]*$', '\\bab', '[^]b', '^\\p{L}*$', 'a.c'];
    const char = fc.constantFrom('a', 'b', 'c', ' ', '\n', '\r', '\t', '\u00a0', '\u2028', '😀', 'é', '!');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        for (const pattern of patterns) expect(test(pattern, text)).toBe(new RegExp(pattern, 'u').test(text));
      }),
    );
  });

  it('runs a pattern that backtracks exponentially in linear time', () => {
    expect(test('^(a+)+$', `${'a'.repeat(10_000)}!`)).toBe(false);
    expect(test('^(a|a)*$', 'a'.repeat(100_000))).toBe(true);
  });

  it('prints as /source/u, one string per pattern', () => {
    const compiled = compileLinearRegex('^a+$');
    expect(compiled.ok && compiled.regex.source).toBe('^a+$');
    expect(compiled.ok && String(compiled.regex)).toBe('/^a+$/u');
  });
});

describe('compileLinearRegex refuses', () => {
  const linear = 'patterns run on a linear-time engine, which has no backreferences or lookaround';
  it.each<[string, string, 'invalid' | 'unsupported', string]>([
    ['JavaScript syntax errors', '([a-z]', 'invalid', 'pattern /([a-z]/ is not a valid regular expression'],
    ['RE2-only syntax', '(?i)a', 'invalid', 'pattern /(?i)a/ is not a valid regular expression'],
    ['backreferences', '(a)\\1', 'unsupported', `pattern /(a)\\1/ uses a backreference \`\\1\`; ${linear}`],
    [
      'named backreferences',
      '(?<n>a)\\k<n>',
      'unsupported',
      `pattern /(?<n>a)\\k<n>/ uses a backreference \`\\k<n>\`; ${linear}`,
    ],
    ['lookaheads', 'a(?=b)', 'unsupported', `pattern /a(?=b)/ uses a lookahead \`(?=\`; ${linear}`],
    ['negative lookaheads', '(?!a)', 'unsupported', `pattern /(?!a)/ uses a lookahead \`(?!\`; ${linear}`],
    ['lookbehinds', '(?<=a)b', 'unsupported', `pattern /(?<=a)b/ uses a lookbehind \`(?<=\`; ${linear}`],
    [
      'negative lookbehinds',
      '(?<!a)b',
      'unsupported',
      `pattern /(?<!a)b/ uses a lookbehind \`(?<!\`; ${linear}`,
    ],
    [
      'repetition counts above 1000',
      'a{1001}',
      'unsupported',
      'pattern /a{1001}/ is not supported by the linear-time engine (invalid repeat count: `{1001}`)',
    ],
    [
      'Unicode properties RE2 does not know',
      '\\p{ASCII}',
      'unsupported',
      'pattern /\\p{ASCII}/ is not supported by the linear-time engine (invalid character class range: `\\p{ASCII}`)',
    ],
  ])('%s: /%s/', (_, pattern, reason, message) => {
    expect(compileLinearRegex(pattern)).toEqual({ ok: false, reason, message });
  });
});

describe('createLinearRegexCompiler', () => {
  it('keeps a default of 1000 patterns', () => {
    expect(LINEAR_REGEX_CACHE_LIMIT).toBe(1000);
    expect(compileLinearRegex('^x+$')).toBe(compileLinearRegex('^x+$'));
  });

  it('caches compiled patterns and refusals, dropping the oldest past its limit', () => {
    const compile = createLinearRegexCompiler(2);
    const first = compile('a');
    const refused = compile('(a)\\1');
    expect(compile('a')).toBe(first);
    expect(compile('(a)\\1')).toBe(refused);
    compile('b');
    // 'a' was the oldest: compiled again, to an equal but new matcher.
    const again = compile('a');
    expect(again).not.toBe(first);
    expect(again.ok && again.regex.test('cat')).toBe(true);
    expect(compile('b')).toBe(compile('b'));
  });
});
