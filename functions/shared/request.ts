import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { badRequest } from '#domain/core/errors.ts';
import { parseDocument } from '#domain/core/document.ts';
import { forbiddenKeys } from '#domain/core/json-keys.ts';
import { formatPath } from '#domain/core/zod-problems.ts';
import { prefixed, under } from '#domain/core/parse-part.ts';
import { strictBodyText } from './body-text.ts';

/** Larger bodies are refused before parsing; the largest legitimate document is a big bundle. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export { principalOf } from './principal.ts';

export const headerOf = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
};

/** What the body-decoding middleware kept of one request: its text, and its document once parsed. */
interface DecodedBody {
  /** The body it was decoded from: a body changed since is decoded again. */
  body: string | undefined;
  text: string;
  document?: unknown;
  parsed: boolean;
}

const decoded = new WeakMap<APIGatewayProxyEventV2, DecodedBody>();

const keep = (event: APIGatewayProxyEventV2): DecodedBody => {
  const { body } = event;
  const kept = { body, text: strictBodyText(body, event.isBase64Encoded, MAX_BODY_BYTES), parsed: false };
  decoded.set(event, kept);
  return kept;
};

/**
 * Decode the body (strictly, see body-text.ts) and keep it with the event: the API handler's middleware
 * calls this once per request, and the route reads what it kept.
 */
export const decodeBody = (event: APIGatewayProxyEventV2): string => keep(event).text;

const keptBody = (event: APIGatewayProxyEventV2): DecodedBody => {
  const kept = decoded.get(event);
  return kept !== undefined && kept.body === event.body ? kept : keep(event);
};

/** The body as text, as the middleware decoded it (an event no middleware saw is decoded here). */
export const bodyText = (event: APIGatewayProxyEventV2): string => keptBody(event).text;

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
  const kept = keptBody(event);
  if (!kept.parsed) {
    kept.document = parsedDocument(event, kept.text);
    kept.parsed = true;
  }
  return kept.document;
};

const parsedDocument = (event: APIGatewayProxyEventV2, text: string): unknown => {
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
