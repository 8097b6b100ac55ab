import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Problem } from '#domain/core/problem.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import type { ContextSchema } from '#domain/flags/validate.ts';
import { validateFlagChange, validateFlags } from '#domain/flags/validate.ts';

interface Case {
  name: string;
  flags: Record<string, unknown>;
  segments: Record<string, unknown>;
  contextSchema?: ContextSchema;
  expected: Partial<Problem>[];
}

const cases = JSON.parse(readFileSync('test/fixtures/flags/validation-cases.json', 'utf8')) as Case[];

describe('validateFlags: golden fixtures', () => {
  it.each(cases)('$name', ({ flags, segments, contextSchema, expected }) => {
    const { problems } = validateFlags(flags, segments, contextSchema);
    expect(problems).toEqual(expected.map((p) => ({ message: expect.any(String), ...p })));
  });

  it('returns the definitions that parsed, with defaults', () => {
    const { flags, segments } = validateFlags(
      { a: { type: 'boolean', enabled: true }, bad: { type: 'boolean' } },
      { s: { constraints: [] } },
    );
    expect(flags).toEqual({
      a: {
        type: 'boolean',
        enabled: true,
        killed: false,
        variants: { on: true, off: false },
        defaultVariant: 'off',
        offVariant: 'off',
        rules: [],
        prerequisites: [],
      },
    });
    expect(segments).toEqual({ s: { constraints: [] } });
  });
});

describe('validateFlagChange', () => {
  const boolean = flagDefinitionSchema.parse({ type: 'boolean', enabled: true });
  const string = flagDefinitionSchema.parse({
    type: 'string',
    enabled: true,
    variants: { on: 'on', off: 'off' },
    defaultVariant: 'off',
    offVariant: 'off',
  });

  it('accepts a change that keeps the type', () => {
    expect(validateFlagChange('k', boolean, { ...boolean, enabled: false })).toEqual([]);
  });

  it('refuses a type change of a live flag', () => {
    expect(validateFlagChange('k', boolean, string)).toEqual([
      expect.objectContaining({ code: 'flag.type-change', key: 'k', path: 'type' }),
    ]);
  });
});
