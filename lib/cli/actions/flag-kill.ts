import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import type { ChangeResponse } from '#api/deployments.ts';
import type { KillSwitchUnchangedResponse } from '#api/flags/kill-switch.ts';
import { contextOf } from '../context.ts';

interface KillOptions {
  env: string;
  reason: string;
  override?: string;
  idempotencyKey?: string;
}

const flip =
  (action: 'kill' | 'unkill') =>
  async (key: string, options: KillOptions, command: Command): Promise<void> => {
    const ctx = contextOf(command);
    const result = await ctx
      .client()
      .call<ChangeResponse | KillSwitchUnchangedResponse>(
        'POST',
        `/environments/${segment(options.env)}/flags/${segment(key)}/${action}`,
        {
          json: {
            reason: options.reason,
            ...(options.override === undefined ? {} : { override: options.override }),
          },
          headers: { 'idempotency-key': options.idempotencyKey ?? randomUUID() },
        },
      );
    if (ctx.json) {
      ctx.out.data(result);
      return;
    }
    if ('unchanged' in result) {
      const state = action === 'kill' ? 'already killed' : 'not killed';
      ctx.out.line(
        `${ctx.out.style('green', '✓')} ${key} ${state} in ${result.environment}: nothing changed ` +
          `(HEAD ${result.head.version})`,
      );
      return;
    }
    const what = action === 'kill' ? 'killed: it serves its off variant' : 'unkilled: it serves as defined';
    const through = result.overrideId === undefined ? '' : `, through override ${result.overrideId}`;
    ctx.out.line(
      `${ctx.out.style('green', '✓')} ${key} ${what} in ${result.environment}: HEAD ${result.head.version}, ` +
        `deployment ${result.deploymentId}${through}`,
    );
  };

/** `convoy flag kill <key> --env e --reason ...`. */
export const kill = flip('kill');
/** `convoy flag unkill <key> --env e --reason ...`. */
export const unkill = flip('unkill');
