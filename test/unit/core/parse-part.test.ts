import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { parsePart, prefixed, under } from '#domain/core/parse-part.ts';

const schema = z.strictObject({ bundle: z.string().min(1), windows: z.array(z.number()).optional() });

const thrown = (part: Parameters<typeof parsePart>[2], value: unknown): ConvoyError => {
  try {
    parsePart(schema, value, part);
  } catch (error) {
    return error as ConvoyError;
  }
  throw new Error('parsed');
};

describe('parsePart', () => {
  it('returns the parsed value', () => {
    expect(parsePart(schema, { bundle: 'b@1' }, 'body')).toEqual({ bundle: 'b@1' });
  });

  it.each([
    ['body', 'validation-failed', 'body.bundle'],
    ['query', 'bad-request', 'query.bundle'],
    ['path', 'bad-request', 'path.bundle'],
    ['header.idempotency-key', 'bad-request', 'header.idempotency-key.bundle'],
  ] as const)('a broken %s is %s, its problems named from %s', (part, code, path) => {
    const error = thrown(part, { bundle: '' });
    expect(error.code).toBe(code);
    expect(error.problems.map((p) => p.path)).toEqual([path]);
    expect(error.message).toMatch(new RegExp(`^Invalid ${part}: ${path} `));
  });

  it.each([
    ['body', 'windows[0].id', 'body.windows[0].id'],
    ['body', '[0]', 'body[0]'],
    ['body', '', 'body'],
    ['body', undefined, 'body'],
  ] as const)('%s + %s is %s', (prefix, path, expected) => {
    expect(under(prefix, path)).toBe(expected);
    expect(prefixed([{ code: 'x', message: 'm', ...(path === undefined ? {} : { path }) }], prefix)).toEqual([
      { code: 'x', message: 'm', path: expected },
    ]);
  });
});
