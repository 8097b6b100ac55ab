import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { ConvoyError, badRequest, validationFailed } from '../../lib/domain/core/errors.ts';
import { parseDocument } from '../../lib/domain/core/document.ts';
import { parseWith } from '../../lib/domain/core/zod-problems.ts';
import type { Problem } from '../../lib/domain/core/problem.ts';

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

export const bodyText = (event: APIGatewayProxyEventV2): string => {
  if (event.body === undefined || event.body === '') return '';
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw new ConvoyError(
      'payload-too-large',
      `The body is ${bytes.byteLength} bytes; the limit is ${MAX_BODY_BYTES}.`,
      {
        context: { limit: MAX_BODY_BYTES },
      },
    );
  }
  return bytes.toString('utf8');
};

const formatOf = (contentType: string | undefined): 'json' | 'yaml' | undefined => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === undefined || type === '' || type === 'text/plain' || type === 'application/octet-stream')
    return undefined;
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'].includes(type)) return 'yaml';
  throw badRequest(`Unsupported content-type ${type}; send application/json or application/yaml.`);
};

/** The body as a parsed document (JSON or YAML by content-type); syntax errors are 400. */
export const documentOf = (event: APIGatewayProxyEventV2): unknown => {
  const text = bodyText(event);
  if (text.trim() === '')
    throw badRequest('The request body is empty.', [
      { code: 'body.required', message: 'a body is required' },
    ]);
  const parsed = parseDocument(text, formatOf(headerOf(event, 'content-type')));
  if (!parsed.ok) throw badRequest('The request body is not well-formed.', parsed.problems);
  return parsed.value;
};

const prefixed = (problems: Problem[], prefix: string): Problem[] =>
  problems.map((p) => ({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix }));

/** Validate any input part against a schema; failures name the field and the rule. */
export const parsePart = <S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'query' | 'path' | `header.${string}`,
): z.infer<S> => {
  const result = parseWith(schema, value);
  if (result.ok) return result.value;
  const problems = prefixed(result.problems, part);
  const message = `Invalid ${part}: ${problems.map((p) => `${p.path ?? part} ${p.message}`).join('; ')}`;
  throw part === 'body' ? validationFailed(message, problems) : badRequest(message, problems);
};
