import { z } from 'zod';
import { nameSchema, parameterKeySchema } from '#domain/core/names.ts';

/** `POST /environments/{env}/flags/{key}/{action}`: action `kill` or `unkill`. */
export const flagSwitchPathSchema = z.strictObject({
  env: nameSchema,
  key: parameterKeySchema,
  action: z.enum(['kill', 'unkill']),
});
export type FlagSwitchPath = z.infer<typeof flagSwitchPathSchema>;

/** Why: kept on the deployment record and in the audit event. `override`: an emergency override's id. */
export const killSwitchBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'a kill or unkill needs a reason').max(500),
  override: nameSchema.optional(),
});
export type KillSwitchBody = z.infer<typeof killSwitchBodySchema>;

/**
 * 200 to a kill of a killed flag (or an unkill of a live one): nothing written; the flag's position and
 * the environment's HEAD as they are (`deploymentId`: HEAD's last commit). A flip answers 201 `ChangeResponse`.
 */
export interface KillSwitchUnchangedResponse {
  unchanged: true;
  environment: string;
  flag: { key: string; killed: boolean };
  head: { version: number; snapshot: string };
  deploymentId: string | null;
}
