import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluateAll } from '#domain/flags/evaluate-all.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import { errorResult } from '#domain/flags/evaluation-result.ts';
import { flagEnvironment } from '#api/flags/flag-set.ts';
import {
  ofrepBulk,
  ofrepBulkSuccessSchema,
  ofrepEvaluation,
  ofrepEvaluationRequestSchema,
  ofrepNotModified,
} from '#api/flags/ofrep.ts';
import { evaluationCases, fixtureFlagSet, fixtureNow, readFixture } from './fixtures.ts';

const set = fixtureFlagSet();
const env = flagEnvironment(set, fixtureNow);
const golden = readFixture('ofrep/evaluations.json') as {
  single: {
    name: string;
    flag: string;
    context: Record<string, unknown>;
    response: { status: number; body: unknown };
  }[];
  bulk: { context: Record<string, unknown>; response: { etag: string; body: unknown } }[];
};

// The OFREP OpenAPI document (vendored): every body Convoy writes must validate against its schemas.
// One patch: evaluationSuccess's value `oneOf` cannot hold for any body (codeDefaultFlag, `{}`, matches
// every object and an integer is also a float), so it is read as an `anyOf`; codeDefaultFlag is left
// out because Convoy always serves a value, so the value's type is really checked.
const openapi = parse(readFileSync('test/fixtures/flags/ofrep/openapi.yaml', 'utf8')) as {
  components: { schemas: Record<string, { allOf: Record<string, unknown>[] }> };
};
const valueOf = openapi.components.schemas['evaluationSuccess']!.allOf[1]!;
valueOf['anyOf'] = (valueOf['oneOf'] as { $ref: string }[]).filter(
  (s) => !s.$ref.endsWith('/codeDefaultFlag'),
);
delete valueOf['oneOf'];
const ajv = new Ajv2020({ strict: false, validateFormats: false });
ajv.addSchema(openapi, 'ofrep');
const schemaFor = (status: number) =>
  ajv.getSchema(
    `ofrep#/components/schemas/${status === 200 ? 'serverEvaluationSuccess' : status === 404 ? 'flagNotFound' : 'evaluationFailure'}`,
  )!;
const bulkSchema = ajv.getSchema('ofrep#/components/schemas/bulkEvaluationSuccess')!;

describe('OFREP single evaluation: golden responses', () => {
  it.each(golden.single)('$name', ({ flag, context, response }) => {
    const actual = ofrepEvaluation({ key: flag, ...evaluateKey(flag, context, env) });
    expect(actual).toEqual(response);
    const validate = schemaFor(actual.status);
    expect(validate(actual.body), JSON.stringify(validate.errors)).toBe(true);
  });

  it('answers every untyped golden case with the domain value and variant', () => {
    const untyped = evaluationCases.filter((c) => !c.type);
    expect(golden.single.map((s) => s.name)).toEqual(untyped.map((c) => c.name));
    for (const [index, c] of untyped.entries()) {
      const body = golden.single[index]!.response.body as Record<string, unknown>;
      if (c.expected['reason'] === 'ERROR') expect(body['value']).toBeUndefined();
      else expect([body['value'], body['variant']]).toEqual([c.expected['value'], c.expected['variant']]);
    }
  });

  it('maps status and codes: 404 not found, 400 errors, TYPE_MISMATCH as GENERAL', () => {
    const statuses = new Set(golden.single.map((s) => s.response.status));
    expect([...statuses].sort()).toEqual([200, 400, 404]);
    const mismatch = ofrepEvaluation({ key: 'k', ...errorResult('TYPE_MISMATCH', 'no') });
    expect(mismatch).toEqual({ status: 400, body: { key: 'k', errorCode: 'GENERAL', errorDetails: 'no' } });
    const parse = ofrepEvaluation({ key: 'k', ...errorResult('PARSE_ERROR', 'bad', 2) });
    expect(parse.body).toEqual({
      key: 'k',
      errorCode: 'PARSE_ERROR',
      errorDetails: 'bad',
      metadata: { ruleIndex: 2 },
    });
  });
});

describe('OFREP bulk evaluation', () => {
  it.each(golden.bulk)('context $context', ({ context, response }) => {
    const actual = ofrepBulk(evaluateAll(context, env), set.etag, { version: set.version });
    expect(actual).toEqual(response);
    expect(actual.etag).toBe(set.etag);
    expect(ofrepBulkSuccessSchema.parse(actual.body)).toEqual(actual.body);
    expect(bulkSchema(actual.body), JSON.stringify(bulkSchema.errors)).toBe(true);
  });

  it('keeps per-flag failures beside successes, in key order', () => {
    const { body } = ofrepBulk(evaluateAll({}, env), set.etag);
    const keys = body.flags.map((f) => f.key);
    expect(keys).toEqual([...keys].sort());
    expect(body.flags.some((f) => 'errorCode' in f)).toBe(true);
    expect(body.flags.some((f) => 'value' in f)).toBe(true);
    expect(body).not.toHaveProperty('metadata');
  });

  it.each([
    [undefined, false],
    [set.etag, true],
    [`W/${set.etag}`, true],
    [`"other", ${set.etag}`, true],
    ['*', true],
    ['"other"', false],
  ])('If-None-Match %s → 304: %s', (header, expected) => {
    expect(ofrepNotModified(header, set.etag)).toBe(expected);
  });
});

describe('OFREP requests', () => {
  it.each([
    [{ context: { targetingKey: 'u', plan: 'pro', n: 1 } }, true],
    [{ context: {} }, true],
    [{ context: { targetingKey: 3 } }, false],
    [{}, false],
  ])('%j valid: %s', (body, valid) => {
    expect(ofrepEvaluationRequestSchema.safeParse(body).success).toBe(valid);
  });
});
