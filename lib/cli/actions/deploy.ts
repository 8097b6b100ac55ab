import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import type { ChangeResponse } from '#api/deployments.ts';
import { parseRef } from '../bundle-ref.ts';
import { contextOf } from '../context.ts';

const withOverride = (override: string | undefined): { override?: string } =>
  override === undefined ? {} : { override };

/** How the override named with --override figured: consumed, or not needed (no freeze applied). */
const usedOverride = (override: string | undefined, result: ChangeResponse): string => {
  if (result.overrideId !== undefined) return `, through override ${result.overrideId}`;
  return override === undefined ? '' : ` (no freeze applied: override ${override} was not used)`;
};

/** `convoy deploy <ref>`. */
export const deploy = async (
  ref: string,
  options: { env: string; idempotencyKey?: string; ifMatch?: string; override?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  parseRef(ref);
  const result = await ctx
    .client()
    .call<ChangeResponse>('POST', `/environments/${segment(options.env)}/deployments`, {
      json: { bundle: ref, ...withOverride(options.override) },
      headers: {
        'idempotency-key': options.idempotencyKey ?? randomUUID(),
        ...(options.ifMatch === undefined ? {} : { 'if-match': `"${options.ifMatch}"` }),
      },
    });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.line(
    `${ctx.out.style('green', '✓')} ${ref} deployed to ${result.environment}: HEAD ${result.head.version} ` +
      `(${result.head.snapshot.slice(0, 12)}), deployment ${result.deploymentId}${usedOverride(options.override, result)}`,
  );
};

/** `convoy rollback`. */
export const rollback = async (
  options: { env: string; to?: string; override?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx
    .client()
    .call<ChangeResponse>('POST', `/environments/${segment(options.env)}/rollback`, {
      json: {
        ...(options.to === undefined ? {} : { to: options.to }),
        ...withOverride(options.override),
      },
      headers: { 'idempotency-key': randomUUID() },
    });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  const what = options.to === undefined ? 'to the snapshot before its last deployment' : `to ${options.to}`;
  ctx.out.line(
    `${ctx.out.style('green', '✓')} ${result.environment} rolled back ${what}: HEAD ${result.head.version} ` +
      `(${result.head.snapshot.slice(0, 12)}), deployment ${result.deploymentId}${usedOverride(options.override, result)}`,
  );
};
