import { z } from 'zod';
import { releaseSchema } from '#domain/core/names.ts';
import type { Problem } from '#domain/core/problem.ts';
import type { ReleaseSummary } from '#domain/releases/release-list.ts';
import type { ReleasePlan } from '#domain/releases/release-plan.ts';
import type { ReleaseState } from '#domain/releases/release-state.ts';
import type { SignoffStatus } from '#domain/releases/signoff.ts';
import { nameSchema } from '#domain/core/names.ts';

/** `/releases/{name}`. */
export const releasePathSchema = z.strictObject({ name: releaseSchema });
export type ReleasePath = z.infer<typeof releasePathSchema>;

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
}

/** `GET /releases/{name}`: the derived state, the coordination plan and validation per environment. */
export interface ReleaseResponse extends ReleaseState {
  plan: ReleasePlan;
  validation: Record<string, Problem[]>;
}

export const releaseResponse = (view: {
  state: ReleaseState;
  plan: ReleasePlan;
  validation: Record<string, Problem[]>;
}): ReleaseResponse => ({ ...view.state, plan: view.plan, validation: view.validation });

export interface SignoffResponse {
  release: string;
  signoffs: SignoffStatus;
}
