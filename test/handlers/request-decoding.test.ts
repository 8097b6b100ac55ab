import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { bodyText, documentOf, MAX_BODY_BYTES } from '#functions/shared/request.ts';
import { ConvoyError } from '#domain/core/errors.ts';

const event = (body: string | undefined, base64 = false, contentType = 'application/json') =>
  ({
    headers: { 'content-type': contentType },
    isBase64Encoded: base64,
    ...(body === undefined ? {} : { body }),
  }) as unknown as APIGatewayProxyEventV2;

const refusal = (run: () => unknown): ConvoyError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConvoyError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('bodyText: the one strict decoding of a request body', () => {
  it.each([
    ['no body', event(undefined), ''],
    ['an empty body', event(''), ''],
    ['text', event('{"a":"é"}'), '{"a":"é"}'],
    ['base64 UTF-8', event(Buffer.from('{"a":"é 💥"}').toString('base64'), true), '{"a":"é 💥"}'],
    [
      'a byte order mark, kept for the parser',
      event(Buffer.from('\uFEFF{}').toString('base64'), true),
      '\uFEFF{}',
    ],
  ])('reads %s', (_, input, text) => {
    expect(bodyText(input)).toBe(text);
  });

  it.each([
    ['a Latin-1 byte', Buffer.from([0x7b, 0xe9, 0x7d])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['an encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ['a truncated sequence', Buffer.from([0x22, 0xe2, 0x82])],
    ['a code point above U+10FFFF', Buffer.from([0xf4, 0x90, 0x80, 0x80])],
  ])('refuses %s', (_, bytes) => {
    const error = refusal(() => bodyText(event(bytes.toString('base64'), true)));
    expect(error.code).toBe('bad-request');
    expect(error.problems).toEqual([
      {
        code: 'body.encoding',
        path: 'body',
        message: 'must be UTF-8 text; it holds bytes that are not UTF-8',
      },
    ]);
  });

  it.each(['\uD800', 'a\uDC00b', '\uDBFF'])('refuses a text body holding a lone surrogate (%#)', (text) => {
    expect(refusal(() => bodyText(event(`"${text}"`))).problems[0]?.code).toBe('body.encoding');
  });

  it('counts the bytes, not the base64 text, against the limit', () => {
    const fits = Buffer.alloc(MAX_BODY_BYTES, 0x20).toString('base64');
    expect(bodyText(event(fits, true))).toHaveLength(MAX_BODY_BYTES);
    const over = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20).toString('base64');
    expect(refusal(() => bodyText(event(over, true))).code).toBe('payload-too-large');
    expect(refusal(() => bodyText(event('é'.repeat(MAX_BODY_BYTES / 2 + 1)))).code).toBe('payload-too-large');
  });

  it('decodes once per event, and again when the body changes', () => {
    const input = event(Buffer.from('{"a":1}').toString('base64'), true);
    expect(bodyText(input)).toBe('{"a":1}');
    expect(bodyText(input)).toBe('{"a":1}');
    input.body = Buffer.from('{"b":2}').toString('base64');
    expect(bodyText(input)).toBe('{"b":2}');
  });
});

describe('documentOf', () => {
  it('names the path of a reserved key under a root array', () => {
    const error = refusal(() => documentOf(event('[{"constructor":1}]')));
    expect(error.problems).toEqual([
      expect.objectContaining({ code: 'body.reserved-key', path: 'body[0].constructor' }),
    ]);
  });

  it('names the content-type it does not support', () => {
    expect(refusal(() => documentOf(event('{}', false, 'text/csv'))).problems).toEqual([
      {
        code: 'header.content-type',
        path: 'header.content-type',
        message: 'text/csv is not supported; send application/json or application/yaml',
      },
    ]);
  });

  it('reads a document without reserved keys', () => {
    expect(documentOf(event('{"a":[{"b":"constructor"}]}'))).toEqual({ a: [{ b: 'constructor' }] });
  });
});
