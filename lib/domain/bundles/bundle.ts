import { z } from 'zod';
import {
  bundleRefSchema,
  nameSchema,
  parameterKeySchema,
  releaseSchema,
  versionSchema,
} from '../core/names.ts';
import { jsonValueSchema } from '../core/json.ts';

export const setChangeSchema = z.strictObject({ set: parameterKeySchema, value: jsonValueSchema });
export const deleteChangeSchema = z.strictObject({ delete: parameterKeySchema });
/**
 * Patches of a flag the environment already has (a whole definition is a `set` of the flag's key):
 * switch it on or off, replace its rules, or reweigh the split of one rule's rollout (`rule`, default
 * the first rule with a rollout). Rules and splits are checked as flag definitions once applied.
 */
const flagKey = { flag: parameterKeySchema };
export const flagPatchSchema = z.union([
  z.strictObject({ ...flagKey, enable: z.literal(true) }),
  z.strictObject({ ...flagKey, disable: z.literal(true) }),
  z.strictObject({ ...flagKey, rules: z.array(jsonValueSchema) }),
  z.strictObject({
    ...flagKey,
    split: z.array(jsonValueSchema).min(1),
    rule: z.number().int().nonnegative().optional(),
  }),
]);
export type FlagPatch = z.infer<typeof flagPatchSchema>;

export const changeSchema = z.union([setChangeSchema, deleteChangeSchema, flagPatchSchema]);
export type Change = z.infer<typeof changeSchema>;
export type SetChange = z.infer<typeof setChangeSchema>;

export const requirementSchema = z.strictObject({
  service: nameSchema,
  /** A semver range such as >=2.3.0 or ^1.4 */
  range: z.string().min(1).max(200),
});
export type Requirement = z.infer<typeof requirementSchema>;

/** Where a bundle was authored: `convoy bundle push` fills it from git inside a repository. */
export const bundleSourceSchema = z.strictObject({
  repository: z.string().min(1).max(500),
  commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'a git commit id: 7 to 64 lowercase hex digits'),
  path: z.string().min(1).max(500),
});
export type BundleSource = z.infer<typeof bundleSourceSchema>;

/** A bundle as authored in a team's repository. */
export const bundleSchema = z.strictObject({
  name: nameSchema,
  version: versionSchema,
  release: releaseSchema,
  team: nameSchema,
  description: z.string().max(4000).optional(),
  labels: z.record(z.string().max(63), z.string().max(256)).optional(),
  /** Ticket ids (e.g. PAY-1234) the release notes list with the bundle. */
  tickets: z.array(z.string().min(1).max(64)).max(50).optional(),
  source: bundleSourceSchema.optional(),
  requires: z.array(requirementSchema).default([]),
  dependsOn: z.array(bundleRefSchema).default([]),
  changes: z.array(changeSchema).min(1, 'a bundle must change at least one key'),
});
export type Bundle = z.infer<typeof bundleSchema>;

/** A bundle after sealing: its content hash over the canonical JSON of the authored document. */
export interface SealedBundle {
  bundle: Bundle;
  hash: string;
}

/** A pushed bundle as lists show it (`GET /bundles`): who pushed what, when. */
export interface BundleSummary {
  name: string;
  version: string;
  release: string;
  team: string;
  hash: string;
  changes: number;
  pushedAt: string;
  pushedBy: string;
}
