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
