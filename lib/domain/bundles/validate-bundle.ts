import type { Catalog } from '../catalog/catalog.ts';
import { indexCatalog } from '../catalog/catalog-index.ts';
import { parseDocument } from '../core/document.ts';
import { hasErrors, problem } from '../core/problem.ts';
import type { Problem } from '../core/problem.ts';
import { parseWith } from '../core/zod-problems.ts';
import { bundleSchema } from './bundle.ts';
import type { Bundle, SealedBundle } from './bundle.ts';
import { changeProblems, suggester } from './change-rules.ts';
import { dependencyProblems, requirementProblems } from './environment-rules.ts';
import type { TargetEnvironment } from './environment-rules.ts';
import { flagRuleProblems } from './flag-rules.ts';
import { duplicateChanges } from './parse-bundle.ts';
import { referenceProblems } from './reference-rules.ts';
import { releaseConflicts } from './release-conflicts.ts';
import { sealBundle } from './seal.ts';
import { applyBundle, emptySnapshot } from './snapshot.ts';
import type { Snapshot } from './snapshot.ts';

export interface ValidationContext {
  catalog: Catalog;
  /** The target environment; environment-dependent rules run only when it is given. */
  environment?: string;
  /** The target environment's live snapshot (empty when omitted). */
  snapshot?: Snapshot;
  /** Service → version deployed in the target environment. */
  services?: Record<string, string>;
  /** Bundles of the same release, for the conflict rule. */
  releaseBundles?: readonly SealedBundle[];
}

export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
  bundle?: Bundle;
  sealed?: SealedBundle;
  /** The snapshot deploying the bundle would produce (only with a known target environment). */
  next?: Snapshot;
}

/**
 * Every rule for an already parsed and sealed bundle. Without an environment, references are
 * checked against the catalog defaults plus the bundle alone.
 */
export const validateSealedBundle = (sealed: SealedBundle, ctx: ValidationContext): ValidationResult => {
  const { bundle } = sealed;
  const index = indexCatalog(ctx.catalog);
  const suggest = suggester();
  const problems: Problem[] = [];
  let target: TargetEnvironment | undefined;
  if (ctx.environment !== undefined) {
    if (index.environments.has(ctx.environment)) {
      target = {
        name: ctx.environment,
        snapshot: ctx.snapshot ?? emptySnapshot(),
        services: ctx.services ?? {},
      };
    } else {
      const message = `environment ${ctx.environment} is not in the catalog${suggest(ctx.environment, index.environments.keys())}`;
      problems.push(problem('environment.unknown', message));
    }
  }
  problems.push(
    ...duplicateChanges(bundle.changes),
    ...changeProblems(bundle, index, target, suggest),
    ...requirementProblems(bundle, index, target, suggest),
  );
  if (target) problems.push(...dependencyProblems(bundle, target));
  const next = applyBundle(target?.snapshot ?? emptySnapshot(), sealed);
  problems.push(...referenceProblems(bundle, ctx.catalog, index, next));
  problems.push(...flagRuleProblems(bundle, ctx.catalog, index, target, next));
  problems.push(...releaseConflicts(bundle, ctx.releaseBundles ?? []));
  return { ok: !hasErrors(problems), problems, bundle, sealed, ...(target ? { next } : {}) };
};

/**
 * Validate a bundle document (or its YAML/JSON text) against a catalog and, optionally, a target
 * environment. Returns every problem at once; never throws, whatever the input.
 */
export const validateBundle = (input: unknown, ctx: ValidationContext): ValidationResult => {
  let document = input;
  if (typeof input === 'string') {
    const parsed = parseDocument(input);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    document = parsed.value;
  }
  const parsed = parseWith(bundleSchema, document);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  return validateSealedBundle(sealBundle(parsed.value), ctx);
};
