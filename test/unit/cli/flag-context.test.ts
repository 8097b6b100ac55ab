import { describe, expect, it } from 'vitest';
import { CliError, exitCodes } from '#cli/exit-codes.ts';
import { collectPairs, parseContext } from '#cli/flag-context.ts';

describe('parseContext', () => {
  it.each([
    ['nothing', [], undefined, {}],
    [
      'strings stay strings',
      ['targetingKey=user-1', 'age=42', 'beta=true'],
      undefined,
      {
        targetingKey: 'user-1',
        age: '42',
        beta: 'true',
      },
    ],
    ['the first = splits; the value may hold = and commas', ['q=a=b,c'], undefined, { q: 'a=b,c' }],
    ['an empty value', ['plan='], undefined, { plan: '' }],
    ['the file is typed', [], { age: 42, beta: true }, { age: 42, beta: true }],
    ['--context overrides the file', ['age=7'], { age: 42, plan: 'pro' }, { age: '7', plan: 'pro' }],
    ['a later pair wins', ['a=1', 'a=2'], undefined, { a: '2' }],
  ] as const)('%s', (_name, pairs, file, expected) => {
    expect(parseContext(pairs, file)).toEqual(expected);
  });

  it.each([
    ['no =', ['plan'], undefined, /expected key=value/],
    ['no key', ['=x'], undefined, /expected key=value/],
    ['a file holding an array', [], [1], /JSON object/],
    ['a file holding null', [], null, /JSON object/],
    ['a file holding a string', [], 'x', /JSON object/],
  ] as const)('refuses %s as usage', (_name, pairs, file, message) => {
    const error = (() => {
      try {
        parseContext(pairs, file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(exitCodes.usage);
    expect((error as CliError).message).toMatch(message);
  });

  it('collects repeated --context values without splitting', () => {
    expect(collectPairs('b=1,2', collectPairs('a=1', undefined))).toEqual(['a=1', 'b=1,2']);
  });
});
