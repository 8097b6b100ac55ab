import { z } from 'zod';
import type { Problem } from '#domain/core/problem.ts';
import {
  changeKindSchema,
  freezeLevelSchema,
  type ChangeKind,
  type FreezeLevel,
} from '#domain/freeze/change-kind.ts';
import type { FreezeScope } from '#domain/freeze/freeze-window.ts';
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

/** The longest period GET /freezes/occurrences expands at once (a month view with its edge weeks fits). */
export const OCCURRENCE_SPAN_DAYS = 62;

/** An instant as epoch milliseconds (NaN only where the refinement already failed). */
const instantMs = z
  .string()
  .max(40)
  .refine((text) => parseInstant(text) !== null, 'must be an ISO 8601 instant with Z or an offset')
  .transform((text) => parseInstant(text) ?? Number.NaN);

/** `GET /freezes/occurrences?from&to`: the calendar's occurrences in [from, to), as epoch ms. */
export const freezeOccurrencesQuerySchema = z
  .strictObject({ from: instantMs, to: instantMs })
  .superRefine(({ from: start, to: end }, ctx) => {
    if (end <= start) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (end - start > OCCURRENCE_SPAN_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be at most ${OCCURRENCE_SPAN_DAYS} days after from`,
      });
  });
export type FreezeOccurrencesQuery = z.infer<typeof freezeOccurrencesQuerySchema>;

/** One occurrence of a window: the instants it covers, with what a calendar shows of its window. */
export interface FreezeOccurrence {
  id: string;
  name: string;
  level: FreezeLevel;
  scope: FreezeScope;
  /** Kinds the window still permits (its allow list, rollback unless forbidden, kinds outside its scope). */
  allow: ChangeKind[];
  /** The window's own zone (UTC for a one-off written with offsets and no zone). */
  timezone: string;
  recurring: boolean;
  /** ISO instants, `end` exclusive; an occurrence crossing the period's edges is given whole. */
  start: string;
  end: string;
}

export interface FreezeOccurrencesResponse {
  from: string;
  to: string;
  occurrences: FreezeOccurrence[];
}
