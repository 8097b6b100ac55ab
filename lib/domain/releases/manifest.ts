/**
 * Releases: many teams' bundles shipped together. A release is named by the bundles' `release` label
 * and may have a manifest (here); its state is derived (release-state.ts), its bundles are validated
 * and deployed together (validate-together.ts, deploy-plan.ts) once the teams signed off (signoff.ts).
 */
import { z } from 'zod';
import { parseDocument } from '../core/document.ts';
import { NAME_PATTERN, nameSchema, releaseSchema, VERSION_PATTERN } from '../core/names.ts';
import { problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { parseWith } from '../core/zod-problems.ts';

/** A bundle the release must contain: any version (the latest pushed) unless pinned. */
export interface ManifestBundle {
  name: string;
  version?: string;
}

const manifestBundleSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .transform((text, ctx): ManifestBundle => {
    const at = text.lastIndexOf('@');
    const name = at === -1 ? text : text.slice(0, at);
    const version = at === -1 ? undefined : text.slice(at + 1);
    if (!NAME_PATTERN.test(name) || (version !== undefined && !VERSION_PATTERN.test(version))) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a bundle name or name@version, e.g. checkout-timeouts@3',
      });
      return z.NEVER;
    }
    return version === undefined ? { name } : { name, version };
  });

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30). */
const dateSchema = z.string().refine((text) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}, 'must be a calendar date like 2026-12-14');

/** `convoy release define <file>`: what a release must contain and when it should ship. */
export const releaseManifestSchema = z.strictObject({
  name: releaseSchema,
  description: z.string().max(4000).optional(),
  targetDate: dateSchema,
  /** The principal accountable for the release. */
  owner: z.string().min(1).max(128),
  bundles: z.array(manifestBundleSchema).max(500).default([]),
  /** The rollout strategy `convoy release rollout` uses when none is given. */
  strategy: nameSchema.optional(),
});
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;

/** `manifest.duplicate-bundle` for every bundle listed a second time (pinned or not). */
const duplicateBundles = (bundles: readonly ManifestBundle[]): Problem[] => {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  bundles.forEach(({ name }, i) => {
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, i);
    else {
      const message = `${name} is listed twice (bundles[${earlier}] and bundles[${i}]); list each bundle once`;
      problems.push(problem('manifest.duplicate-bundle', message, { path: `bundles[${i}]` }));
    }
  });
  return problems;
};

export type ManifestResult = { ok: true; manifest: ReleaseManifest } | { ok: false; problems: Problem[] };

/** A manifest document (or its YAML/JSON text) into a manifest, or every problem at once. */
export const parseReleaseManifest = (input: unknown): ManifestResult => {
  let document = input;
  if (typeof input === 'string') {
    const parsed = parseDocument(input);
    if (!parsed.ok) return parsed;
    document = parsed.value;
  }
  const parsed = parseWith(releaseManifestSchema, document);
  if (!parsed.ok) return parsed;
  const duplicates = duplicateBundles(parsed.value.bundles);
  return duplicates.length > 0 ? { ok: false, problems: duplicates } : { ok: true, manifest: parsed.value };
};
