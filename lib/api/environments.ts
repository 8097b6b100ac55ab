import type { FlagCounts } from '#domain/flags/flag-counts.ts';
import { z } from 'zod';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { contentHash } from '#domain/core/json.ts';
import type { Head } from '#domain/environments/head.ts';

export const configQuerySchema = z.strictObject({
  format: z.enum(['json', 'yaml', 'dotenv']).default('json'),
  prefix: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9_.-]*$/, 'must be a key prefix')
    .optional(),
});
export type ConfigQuery = z.infer<typeof configQuerySchema>;

export const configContentTypes: Record<ConfigQuery['format'], string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  dotenv: 'text/plain; charset=utf-8',
};

/** The config is a function of the snapshot, the catalog (defaults) and the rendering: that is its ETag. */
export const configHeaders = (head: Head, catalogHash: string, { format, prefix }: ConfigQuery) => ({
  etag: `"${contentHash([head.snapshot, catalogHash, format, prefix ?? ''])}"`,
  'x-convoy-head-version': String(head.version),
});

export const serviceBodySchema = z.strictObject({
  version: z
    .string()
    .regex(
      /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
      'must be a semantic version like 2.3.1',
    ),
});
export type ServiceBody = z.infer<typeof serviceBodySchema>;

/** One environment in GET /environments: its HEAD, the bundles live there and the reported services. */
export interface EnvironmentStatus {
  name: string;
  head: { version: number; snapshot: string; deploymentId?: string; updatedAt?: string };
  bundles: string[];
  services: { service: string; version: string }[];
  /** The flags at HEAD by state. */
  flags?: FlagCounts;
}

export const environmentStatus = ({
  name,
  head,
  snapshot,
  services,
  flags,
}: {
  name: string;
  head: Head;
  snapshot: Snapshot;
  services: readonly { service: string; version: string }[];
  flags?: FlagCounts;
}): EnvironmentStatus => ({
  name,
  head: {
    version: head.version,
    snapshot: head.snapshot,
    deploymentId: head.deploymentId,
    updatedAt: head.updatedAt,
  },
  bundles: snapshot.bundles.map((b) => `${b.name}@${b.version}`),
  services: services.map((s) => ({ service: s.service, version: s.version })),
  ...(flags === undefined ? {} : { flags }),
});
