import { z } from 'zod';
import { badRequest } from '#domain/core/errors.ts';
import { bundleRefSchema, nameSchema, releaseSchema } from '#domain/core/names.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { parseWith } from '#domain/core/zod-problems.ts';
import { rolloutActions } from '#domain/rollout/operator-action-names.ts';

export const startRolloutBodySchema = z.strictObject({
  bundle: bundleRefSchema,
  strategy: z.union([nameSchema, z.record(z.string(), z.unknown())], {
    error: 'must be the name of a catalog strategy or a strategy object',
  }),
  id: nameSchema.optional(),
});
export type StartRolloutBody = z.infer<typeof startRolloutBodySchema>;

/** `POST /rollouts` with a release as the unit: each phase deploys the whole release atomically. */
export const startReleaseRolloutBodySchema = z.strictObject({
  release: releaseSchema,
  strategy: startRolloutBodySchema.shape.strategy,
  id: nameSchema.optional(),
  /** A release manager goes ahead without every sign-off; the reason is audited. */
  overrideSignoffs: z.strictObject({ reason: z.string().trim().min(1).max(2000) }).optional(),
});
export type StartReleaseRolloutBody = z.infer<typeof startReleaseRolloutBodySchema>;

/** `POST /rollouts`' body: `{ release, strategy }` when it names a release, else `{ bundle, strategy }`. */
export const startRolloutBodyOf = (document: unknown): StartRolloutBody | StartReleaseRolloutBody =>
  typeof document === 'object' && document !== null && 'release' in document
    ? parsePart(startReleaseRolloutBodySchema, document, 'body')
    : parsePart(startRolloutBodySchema, document, 'body');

export const rolloutActionPathSchema = z.strictObject({ id: nameSchema, action: z.enum(rolloutActions) });
export type RolloutActionPath = z.infer<typeof rolloutActionPathSchema>;

export const rolloutListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type RolloutListQuery = z.infer<typeof rolloutListQuerySchema>;

/** Why an operator acts (required by some actions, see reasonRequired). */
export const actionReasonSchema = z.string().trim().min(1).max(2000);

export const rolloutActionBodySchema = z.strictObject({ reason: actionReasonSchema.optional() });
export type RolloutActionBody = z.infer<typeof rolloutActionBodySchema>;
const reasonedActionBodySchema = z.strictObject({ reason: actionReasonSchema });

/** An action's body: malformed, unknown fields or a missing reason are 400 (not 422) naming the field. */
export const rolloutActionBody = (document: unknown, reasonIsRequired: boolean): RolloutActionBody => {
  const result = parseWith(reasonIsRequired ? reasonedActionBodySchema : rolloutActionBodySchema, document);
  if (result.ok) return result.value;
  const problems = result.problems.map((p) => ({ ...p, path: p.path ? `body.${p.path}` : 'body' }));
  throw badRequest(`Invalid body: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
};
