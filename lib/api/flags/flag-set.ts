import { z } from 'zod';
import { contentHash } from '#domain/core/json.ts';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { segmentSchema } from '#domain/flags/constraint.ts';
import type { Segment } from '#domain/flags/constraint.ts';

/**
 * The document `GET /environments/{env}/flags` answers, and what providers load: every flag of the
 * environment as deployed at HEAD `version`, with the segments they reference. `etag` hashes only
 * flags and segments, so a HEAD that changed parameters alone keeps it and pollers get 304.
 */
export const flagSetSchema = z
  .object({
    environment: z.string().min(1),
    version: z.number().int().nonnegative(),
    etag: z.string().min(1),
    flags: z.record(z.string().min(1), flagDefinitionSchema),
    segments: z.record(z.string().min(1), segmentSchema).default({}),
  })
  .strict();
export type FlagSet = z.infer<typeof flagSetSchema>;

/** The strong ETag of flags and segments: quoted, as HTTP writes it, stable under key order. */
export const flagSetEtag = (
  flags: Readonly<Record<string, FlagDefinition>>,
  segments: Readonly<Record<string, Segment>>,
): string => `"${contentHash({ flags, segments }).slice(0, 32)}"`;

export interface FlagSetInput {
  environment: string;
  version: number;
  flags: Record<string, FlagDefinition>;
  segments?: Record<string, Segment>;
}

export const buildFlagSet = ({ environment, version, flags, segments = {} }: FlagSetInput): FlagSet => ({
  environment,
  version,
  etag: flagSetEtag(flags, segments),
  flags,
  segments,
});

/** What the evaluator reads from a flag set, at the caller's clock. */
export const flagEnvironment = (set: Pick<FlagSet, 'flags' | 'segments'>, now: number): FlagEnvironment => ({
  flags: set.flags,
  segments: set.segments,
  now,
});
