import type { Command } from 'commander';
import type { ImpactBody } from '#api/dependencies.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import { impactBodyOf } from '../impact-body.ts';
import { formatImpact, impactBlockers } from '../impact-format.ts';

/** `convoy impact <bundle@version|file> [--env e]`: exit 1 when the plan has a cycle or owes sign-offs. */
export const impact = async (ref: string, options: { env?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const body: ImpactBody = await impactBodyOf(ref);
  if (options.env !== undefined) body.environment = options.env;
  const result = await ctx.client().call<Impact>('POST', '/impact', { json: body });
  if (impactBlockers(result).length > 0) ctx.setExitCode(exitCodes.rejected);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.raw(formatImpact(result));
};
