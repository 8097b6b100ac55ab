import { readFileSync } from 'node:fs';
import { FlagdCore } from '@openfeature/flagd-core';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { toFlagdFlags } from '#api/formats/flagd-flags.ts';
import { evaluationCases, fixtureFlagSet, readFixture } from '../flags/fixtures.ts';

const set = fixtureFlagSet();
const exported = toFlagdFlags(set);
const schema = (name: string): object =>
  JSON.parse(readFileSync(`test/fixtures/flags/exports/flagd-schema/${name}`, 'utf8')) as object;

describe('flagd export', () => {
  it('matches the golden export', () => {
    expect(exported).toEqual(readFixture('exports/flagd.json'));
  });

  it("validates against flagd's published schema (providerConfig)", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema(schema('targeting.json'));
    const validate = ajv.compile(schema('flags.json'));
    expect(validate(exported.document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('reports every flag it leaves out, and leaves out nothing else', () => {
    const left = exported.problems.map((p) => p.flag);
    expect([...Object.keys(exported.document.flags), ...left].sort()).toEqual(Object.keys(set.flags).sort());
    expect(new Set(exported.problems.map((p) => p.code))).toEqual(new Set(['flag-export.unmappable']));
  });

  // Where flagd's operators differ from Unleash's: named here, and in flagd-flags.ts.
  const divergences: Record<string, string> = {
    'a v prefix is not a version': "flagd's sem_ver strips a leading v; Unleash's SEMVER refuses it",
  };

  // flagd-core evaluates the export like Convoy does, case by case (fractional hashes differ: left out).
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(exported.document));
  const comparable = evaluationCases.filter(
    (c) =>
      !c.type &&
      !Object.hasOwn(divergences, c.name) &&
      c.expected['reason'] !== 'ERROR' &&
      Object.hasOwn(exported.document.flags, c.flag) &&
      !set.flags[c.flag]!.rules.some((r) => r.rollout ?? r.percentage),
  );

  it('has cases to compare, and the divergences are real', () => {
    expect(comparable.length).toBeGreaterThan(10);
    for (const name of Object.keys(divergences)) {
      const c = evaluationCases.find((e) => e.name === name)!;
      const result = core.resolveBooleanEvaluation(c.flag, false, c.context as Record<string, string>);
      expect(result.value).not.toEqual(c.expected['value']);
    }
  });

  it.each(comparable)('flagd-core agrees: $name', ({ flag, context, expected }) => {
    const result = core.resolveBooleanEvaluation(
      flag,
      !(expected['value'] as boolean),
      context as Record<string, string>,
    );
    expect({ value: result.value, variant: result.variant }).toEqual({
      value: expected['value'],
      variant: expected['variant'],
    });
  });
});
