import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { evaluateAll } from '#domain/flags/evaluate-all.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import type { FlagType } from '#domain/flags/flag.ts';
import { flagSetSchema } from '#domain/flags/flag.ts';

/** Golden files: a flag set, contexts and the results they must give (reused by provider and OFREP tests). */
interface Case {
  name: string;
  flag: string;
  type?: FlagType;
  context: Record<string, unknown>;
  expected: Record<string, unknown>;
  messageContains?: string;
}

const read = (name: string): unknown => JSON.parse(readFileSync(`test/fixtures/flags/${name}`, 'utf8'));
const set = flagSetSchema.parse(read('flag-set.json'));
const { now, cases } = read('evaluation-cases.json') as { now: string; cases: Case[] };
const env: FlagEnvironment = { ...set, now: Date.parse(now) };

describe('evaluate: golden fixtures', () => {
  it.each(cases)('$name', ({ flag, type, context, expected, messageContains }) => {
    const resolved = evaluateKey(flag, context, env, type ? { type } : {});
    const { errorMessage, ...result } = resolved as typeof resolved & { errorMessage?: string };
    expect(result).toEqual(expected);
    if (result.reason === 'ERROR') expect(errorMessage).toContain(messageContains ?? flag);
    else expect(errorMessage).toBeUndefined();
  });

  it('covers every reason and error code', () => {
    const reasons = new Set(cases.map((c) => c.expected['reason']));
    expect([...reasons].sort()).toEqual(
      ['DEFAULT', 'DISABLED', 'ERROR', 'PREREQUISITE_FAILED', 'SPLIT', 'STATIC', 'TARGETING_MATCH'].sort(),
    );
    const codes = new Set(cases.map((c) => c.expected['errorCode']).filter(Boolean));
    expect([...codes].sort()).toEqual([
      'FLAG_NOT_FOUND',
      'GENERAL',
      'TARGETING_KEY_MISSING',
      'TYPE_MISMATCH',
    ]);
  });
});

describe('evaluateAll', () => {
  it('evaluates every flag of the set, in key order, as evaluateKey does', () => {
    const context = { email: 'ada@convoy.dev', targetingKey: 'u-7' };
    const all = evaluateAll(context, env);
    expect(all.map((r) => r.key)).toEqual(Object.keys(set.flags).sort());
    for (const { key, ...result } of all) expect(result).toEqual(evaluateKey(key, context, env));
  });
});
