import { z } from 'zod';
import { nameSchema, versionSchema } from '#domain/core/names.ts';
import type { ApiEvent } from './api-handler.ts';
import { parsePart } from '#domain/core/parse-part.ts';

export const envPathSchema = z.strictObject({ env: nameSchema });
export const bundlePathSchema = z.strictObject({ name: nameSchema, version: versionSchema });
export const servicePathSchema = z.strictObject({ env: nameSchema, service: nameSchema });

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
