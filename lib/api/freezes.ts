import { z } from 'zod';
import type { Problem } from '#domain/core/problem.ts';
import { changeKindSchema, freezeLevelSchema } from '#domain/freeze/change-kind.ts';
import { isValidTimeZone, parseInstant } from '#domain/freeze/local-time.ts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const nameList = (what: string) =>
  z
    .string()
    .max(2000)
    .transform((text) =>
      text
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    )
    .pipe(
      z
        .array(z.string().regex(NAME, `must be ${what} names, separated by commas`))
        .min(1)
        .max(50),
    );

/** `GET /environments/{env}/freeze-status?at&namespace&team&kind`. */
export const freezeStatusQuerySchema = z.strictObject({
  at: z
    .string()
    .max(40)
    .refine((text) => parseInstant(text) !== null, 'must be an ISO 8601 instant with Z or an offset')
    .optional(),
  namespace: nameList('namespace').optional(),
  team: nameList('team').optional(),
  kind: changeKindSchema.optional(),
});
export type FreezeStatusQuery = z.infer<typeof freezeStatusQuerySchema>;

/** `POST /freezes/import?level&timezone&skipInvalid`. */
export const freezeImportQuerySchema = z.strictObject({
  level: freezeLevelSchema.optional(),
  timezone: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin')
    .optional(),
  skipInvalid: z.enum(['true', 'false']).optional(),
});
export type FreezeImportQuery = z.infer<typeof freezeImportQuerySchema>;

/** One window of POST /freezes or /freezes/import. `changed`: false when put again exactly as stored. */
export interface FreezePutItem {
  id: string;
  created: boolean;
  changed?: boolean;
}

export interface FreezePutResponse {
  windows: FreezePutItem[];
}

export interface FreezeImportResponse extends FreezePutResponse {
  problems: Problem[];
}

/** 201 when the request created any window, 200 when it only replaced (or repeated) some. */
export const freezePutStatus = (windows: readonly FreezePutItem[]): 200 | 201 =>
  windows.some((w) => w.created) ? 201 : 200;
