import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ConvoyError, badRequest } from '#domain/core/errors.ts';
import { parseDocument } from '#domain/core/document.ts';
import { forbiddenKeys } from '#domain/core/json-keys.ts';
import { formatPath } from '#domain/core/zod-problems.ts';
import { prefixed, under } from '#domain/core/parse-part.ts';

/** Larger bodies are refused before parsing; the largest legitimate document is a big bundle. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface IamAuthorizerContext {
  iam?: { userArn?: string | null };
}

/** The caller: the IAM principal API Gateway authenticated (the embedded server sets the same field). */
export const principalOf = (event: APIGatewayProxyEventV2): string => {
  const context = event.requestContext as APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: IamAuthorizerContext;
  };
  const principal = context.authorizer?.iam?.userArn;
  if (!principal) throw new ConvoyError('forbidden', 'The request carries no authenticated principal.');
  return principal;
};

export const headerOf = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const notUtf8 = (): ConvoyError =>
  badRequest('The body is not valid UTF-8 text; nothing was written.', [
    { code: 'body.encoding', path: 'body', message: 'must be UTF-8 text; it holds bytes that are not UTF-8' },
  ]);

/** Half of a UTF-16 surrogate pair without the other half: text that no UTF-8 byte sequence encodes. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Every route decodes the body once (the size check runs before the handler, the handler reads it).
const decoded = new WeakMap<APIGatewayProxyEventV2, { body: string; text: string }>();

/**
 * The body as text, decoded strictly: invalid UTF-8 (or a string body holding lone surrogates) is
 * refused, never replaced with U+FFFD, so what is stored is exactly what was sent.
 */
export const bodyText = (event: APIGatewayProxyEventV2): string => {
  const { body } = event;
  if (body === undefined || body === '') return '';
  const known = decoded.get(event);
  if (known?.body === body) return known.text;
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : undefined;
  const size = bytes?.byteLength ?? Buffer.byteLength(body, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new ConvoyError('payload-too-large', `The body is ${size} bytes; the limit is ${MAX_BODY_BYTES}.`, {
      context: { limit: MAX_BODY_BYTES },
    });
  }
  let text = body;
  if (bytes === undefined) {
    if (LONE_SURROGATE.test(body)) throw notUtf8();
  } else {
    try {
      text = utf8.decode(bytes);
    } catch {
      throw notUtf8();
    }
  }
  decoded.set(event, { body, text });
  return text;
};

const formatOf = (contentType: string | undefined): 'json' | 'yaml' | undefined => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || type === '' || type === 'text/plain' || type === 'application/octet-stream')
    return undefined;
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'].includes(type)) return 'yaml';
  throw badRequest(`Unsupported content-type ${type}; send application/json or application/yaml.`, [
    {
      code: 'header.content-type',
      path: 'header.content-type',
      message: `${type} is not supported; send application/json or application/yaml`,
    },
  ]);
};

/**
 * The body as a parsed document (JSON or YAML by content-type), the one way every route reads one.
 * Syntax errors, duplicate keys and prototype keys (`__proto__`, `constructor`, `prototype`: parsers
 * keep them, schemas drop them silently, merges let them reach a prototype) are 400 naming the place.
 */
export const documentOf = (event: APIGatewayProxyEventV2): unknown => {
  const text = bodyText(event);
  if (text.trim() === '')
    throw badRequest('The request body is empty.', [
      { code: 'body.required', path: 'body', message: 'a body is required' },
    ]);
  const parsed = parseDocument(text, formatOf(headerOf(event, 'content-type')));
  // Syntax problems name the line and column in their message; the others a path into the body.
  if (!parsed.ok) throw badRequest('The request body is not well-formed.', prefixed(parsed.problems, 'body'));
  const reserved = forbiddenKeys(parsed.value).map(({ key, path }) => ({
    code: 'body.reserved-key',
    path: under('body', formatPath(path)),
    message: `${JSON.stringify(key)} is a reserved key (it could reach an object's prototype); rename or remove it`,
  }));
  if (reserved.length > 0)
    throw badRequest(`The body uses reserved keys at ${reserved.map((p) => p.path).join(', ')}.`, reserved);
  return parsed.value;
};
