import { z } from 'zod';
import { contentHash } from '#domain/core/json.ts';
import type { FlagEnvironment } from '#domain/flags/evaluate.ts';
import { flagDefinitionSchema } from '#domain/flags/flag.ts';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { requiredServices } from '#domain/flags/requirements.ts';
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
    /**
     * The versions CI/CD reports in the environment for the services the flags' deployment requirements
     * name (only those: a report of another service keeps the ETag).
     */
    services: z.record(z.string().min(1), z.string()).default({}),
  })
  .strict();
export type FlagSet = z.infer<typeof flagSetSchema>;

/**
 * The strong ETag of flags, segments and required services' versions: quoted, as HTTP writes it,
 * stable under key order. A set with no required service hashes as it did before requirements existed.
 */
export const flagSetEtag = (
  flags: Readonly<Record<string, FlagDefinition>>,
  segments: Readonly<Record<string, Segment>>,
  services: Readonly<Record<string, string>> = {},
): string =>
  `"${contentHash(Object.keys(services).length === 0 ? { flags, segments } : { flags, segments, services }).slice(0, 32)}"`;

export interface FlagSetInput {
  environment: string;
  version: number;
  flags: Record<string, FlagDefinition>;
  segments?: Record<string, Segment>;
  /** Every service version reported in the environment; the set keeps those its flags require. */
  services?: Readonly<Record<string, string>>;
}

const requiredOf = (
  flags: Readonly<Record<string, FlagDefinition>>,
  services: Readonly<Record<string, string>>,
): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const name of [...new Set(Object.values(flags).flatMap(requiredServices))].sort())
    if (Object.hasOwn(services, name)) out[name] = services[name] as string;
  return out;
};

export const buildFlagSet = ({
  environment,
  version,
  flags,
  segments = {},
  services = {},
}: FlagSetInput): FlagSet => {
  const required = requiredOf(flags, services);
  return {
    environment,
    version,
    etag: flagSetEtag(flags, segments, required),
    flags,
    segments,
    services: required,
  };
};

/** What the evaluator reads from a flag set, at the caller's clock. */
export const flagEnvironment = (
  set: Pick<FlagSet, 'flags' | 'segments'> & { services?: Readonly<Record<string, string>> },
  now: number,
): FlagEnvironment => ({
  flags: set.flags,
  segments: set.segments,
  services: set.services ?? {},
  now,
});
