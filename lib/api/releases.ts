import { z } from 'zod';
import { releaseSchema } from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { ReleaseSummary } from '#domain/releases/release-list.ts';
import type { ReleasePlan } from '#domain/releases/release-plan.ts';
import type { ReleaseState } from '#domain/releases/release-state.ts';
import type { SignoffStatus } from '#domain/releases/signoff.ts';
import { nameSchema } from '#domain/core/names.ts';
import type { DeploymentRecord, Head } from '#domain/environments/head.ts';
import type { DeploymentSinks } from '#domain/environments/sink-status.ts';
import { changeResponse, type ChangeResponse } from './deployments.ts';

/** `/releases/{name}`. */
export const releasePathSchema = z.strictObject({ name: releaseSchema });
export type ReleasePath = z.infer<typeof releasePathSchema>;

/**
 * `GET /releases` and `GET /releases/{name}`: `validate=false` leaves out validating the bundles
 * together against every environment (the costly part): the answer says `validated: false`, its
 * `validation` is empty and readiness leaves the rules out. For a first picture (the dashboard).
 */
export const releaseReadQuerySchema = z.strictObject({
  validate: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((v) => v === 'true'),
});

/** `GET /releases/{name}/notes?environment=e`: values before from that environment's HEAD. */
export const releaseNotesQuerySchema = z.strictObject({ environment: nameSchema.optional() });

const noteSchema = z.string().max(2000).optional();

/** `POST /releases/{name}/signoffs`: `{ team, note? }` by a member of the team, or `{ approve: true, note? }`. */
export const signoffBodySchema = z.union([
  z.strictObject({ team: nameSchema, note: noteSchema }),
  z.strictObject({ approve: z.literal(true), note: noteSchema }),
]);
export type SignoffBody = z.infer<typeof signoffBodySchema>;

/** `PUT /releases/{name}`: 201 when the manifest is new, 200 when replaced or repeated. */
export interface ReleaseDefineResponse {
  release: string;
  created: boolean;
  changed: boolean;
}

export interface ReleaseListResponse {
  releases: ReleaseSummary[];
  /** Present (false) when asked with `validate=false`: `ready` leaves validation out. */
  validated?: false;
}

/** `GET /releases/{name}`: the derived state, the coordination plan and validation per environment. */
export interface ReleaseResponse extends ReleaseState {
  plan: ReleasePlan;
  validation: Record<string, Problem[]>;
  /** Present (false) when asked with `validate=false`: `validation` is empty, readiness leaves it out. */
  validated?: false;
}

export const releaseResponse = (
  view: {
    state: ReleaseState;
    plan: ReleasePlan;
    validation: Record<string, Problem[]>;
  },
  validated = true,
): ReleaseResponse => ({
  ...view.state,
  plan: view.plan,
  validation: view.validation,
  ...(validated ? {} : { validated: false as const }),
});

export interface SignoffResponse {
  release: string;
  signoffs: SignoffStatus;
}

/** `POST /releases/{name}/deployments`: deploy the whole release to one environment in one HEAD flip. */
export const releaseDeployBodySchema = z.strictObject({
  environment: nameSchema,
  /** An emergency override (freeze windows), as for one bundle. */
  override: nameSchema.optional(),
  /** A release manager goes ahead without every sign-off; the reason is audited. */
  overrideSignoffs: z.strictObject({ reason: z.string().trim().min(1).max(2000) }).optional(),
});
export type ReleaseDeployBody = z.infer<typeof releaseDeployBodySchema>;

/** `POST /releases/{name}/rollback`: restore the environment's snapshot from before the release. */
export const releaseRollbackBodySchema = z.strictObject({
  environment: nameSchema,
  override: nameSchema.optional(),
});
export type ReleaseRollbackBody = z.infer<typeof releaseRollbackBodySchema>;

/** A release deploy or rollback (201): the change, and for a deploy the bundles its one flip applied. */
export interface ReleaseChangeResponse extends ChangeResponse {
  release: string;
  bundles?: { name: string; version: string; hash: string }[];
  signoffOverride?: { principal: string; reason: string };
}

export const releaseChangeResponse = (
  release: string,
  result: { deployment: DeploymentRecord; head: Head },
  sinks: DeploymentSinks,
): ReleaseChangeResponse => ({
  release,
  ...changeResponse(result, sinks),
  ...(result.deployment.bundles === undefined ? {} : { bundles: result.deployment.bundles }),
  ...(result.deployment.signoffOverride === undefined
    ? {}
    : { signoffOverride: result.deployment.signoffOverride }),
});
