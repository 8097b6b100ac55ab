import { z } from 'zod';
import { etagMatches } from '#api/conditional.ts';
import { idempotencyKeySchema } from '#domain/core/names.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import type { ApiEvent } from './api-handler.ts';
import { headerOf } from './request.ts';

export const pathOf = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  parsePart(schema, event.pathParameters ?? {}, 'path');

export const queryOf = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  parsePart(schema, event.queryStringParameters ?? {}, 'query');

/** `If-Match: 3` or `If-Match: "3"` → 3. */
export const versionHeader = (value: string | undefined, name: string): number | undefined =>
  value === undefined
    ? undefined
    : parsePart(
        z
          .string()
          .regex(/^"?\d{1,12}"?$/, 'must be a HEAD version number')
          .transform((v) => Number(v.replaceAll('"', ''))),
        value,
        `header.${name}`,
      );

/** The optional Idempotency-Key header, validated. */
export const idempotencyKeyOf = (event: ApiEvent): string | undefined => {
  const key = headerOf(event, 'idempotency-key');
  return key === undefined ? undefined : parsePart(idempotencyKeySchema, key, 'header.idempotency-key');
};

/** Does the request's If-None-Match hold `etag`? A route may then skip its work (the 304 is shaped once). */
export const holdsEtag = (event: ApiEvent, etag: string): boolean =>
  etagMatches(headerOf(event, 'if-none-match'), etag);
