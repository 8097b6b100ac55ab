import { ConvoyError, badRequest } from '#domain/core/errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const notUtf8 = (): ConvoyError =>
  badRequest('The body is not valid UTF-8 text; nothing was written.', [
    { code: 'body.encoding', path: 'body', message: 'must be UTF-8 text; it holds bytes that are not UTF-8' },
  ]);

/** Half of a UTF-16 surrogate pair without the other half: text that no UTF-8 byte sequence encodes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A request body as text, decoded strictly: over `limit` bytes is 413; invalid UTF-8 (or a string body
 * holding lone surrogates) is refused, never replaced with U+FFFD, so what is stored is what was sent.
 */
export const strictBodyText = (body: string | undefined, base64: boolean, limit: number): string => {
  if (body === undefined || body === '') return '';
  const bytes = base64 ? Buffer.from(body, 'base64') : undefined;
  const size = bytes?.byteLength ?? Buffer.byteLength(body, 'utf8');
  if (size > limit) {
    throw new ConvoyError('payload-too-large', `The body is ${size} bytes; the limit is ${limit}.`, {
      context: { limit },
    });
  }
  if (bytes === undefined) {
    if (LONE_SURROGATE.test(body)) throw notUtf8();
    return body;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw notUtf8();
  }
};
