import type { Command } from 'commander';
import type { Override } from '#domain/overrides/override.ts';
import { segment } from '#api/client.ts';
import { parseRef } from '../bundle-ref.ts';
import { changeKinds } from '../choices.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { overrideFacts, overrideNextStep, overrideRows, overrideTarget } from '../freeze-format.ts';

type OverrideView = Override & { approvers?: string[] };

interface RequestOptions {
  env: string;
  bundle?: string;
  kind?: string[];
  reason: string;
  ticket: string;
  duration?: string;
  approvals?: number;
  reusable?: boolean;
}

const printOverride = (ctx: CommandContext, override: OverrideView, headline: string): void => {
  ctx.out.line(headline);
  ctx.out.line();
  ctx.out.table(overrideFacts(override).map(([key, value]) => [`  ${key ?? ''}`, value ?? '']));
  const next = overrideNextStep(override);
  if (next !== undefined) {
    ctx.out.line();
    ctx.out.line(`next: ${next}`);
  }
};

/** `convoy override request`. */
export const request = async (options: RequestOptions, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  if ((options.bundle === undefined) === (options.kind === undefined))
    throw usageError(
      'Give exactly one of --bundle or --kind.',
      'e.g. --bundle checkout-timeouts@3, or --kind rollback',
    );
  if (options.bundle !== undefined) parseRef(options.bundle);
  const unknown = options.kind?.filter((k) => !(changeKinds as readonly string[]).includes(k)) ?? [];
  if (unknown.length > 0)
    throw usageError(
      `Unknown change kind(s): ${unknown.join(', ')}.`,
      `Pick from ${changeKinds.join(', ')}.`,
    );
  const result = await ctx.client().call<OverrideView>('POST', '/overrides', {
    json: {
      environment: options.env,
      ...(options.bundle === undefined ? {} : { bundle: options.bundle }),
      ...(options.kind === undefined ? {} : { changeKinds: options.kind }),
      reason: options.reason,
      ticket: options.ticket,
      ...(options.duration === undefined ? {} : { requestedDuration: options.duration }),
      ...(options.approvals === undefined ? {} : { approvalsRequired: options.approvals }),
      ...(options.reusable === true ? { reusable: true } : {}),
    },
  });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printOverride(
    ctx,
    result,
    `${ctx.out.style('green', '✓')} override ${result.id} requested for ${overrideTarget(result)} in ${result.environment}`,
  );
};

/** `convoy override approve <id>` and `convoy override reject <id>`. */
export const decide =
  (verdict: 'approve' | 'reject') =>
  async (id: string, options: { comment?: string; reason?: string }, command: Command): Promise<void> => {
    const ctx = contextOf(command);
    const body =
      verdict === 'approve'
        ? options.comment === undefined
          ? {}
          : { comment: options.comment }
        : { reason: options.reason };
    const result = await ctx
      .client()
      .call<OverrideView>('POST', `/overrides/${segment(id)}/${verdict}`, { json: body });
    if (ctx.json) {
      ctx.out.data(result);
      return;
    }
    const mark = ctx.out.style(verdict === 'approve' ? 'green' : 'red', verdict === 'approve' ? '✓' : '✗');
    const headline =
      verdict === 'reject'
        ? `${mark} override ${result.id} rejected by ${ctx.principal}`
        : result.status === 'approved'
          ? `${mark} override ${result.id} approved: valid until ${result.expiresAt ?? '?'}`
          : `${mark} approval by ${ctx.principal} recorded on ${result.id}: ${result.approvals.length} of ${result.approvalsRequired}`;
    printOverride(ctx, result, headline);
  };

/** `convoy override show <id>`. */
export const show = async (id: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<OverrideView>('GET', `/overrides/${segment(id)}`);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printOverride(ctx, result, `override ${result.id}: ${result.status}`);
};

/** `convoy override list`. */
export const list = async (options: { status?: string; env?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<{ overrides: OverrideView[] }>('GET', '/overrides', {
    query: { status: options.status, environment: options.env },
  });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  if (result.overrides.length === 0) {
    ctx.out.line('No overrides match.');
    return;
  }
  ctx.out.table(overrideRows(result.overrides), {
    header: ['ID', 'STATUS', 'ENV', 'FOR', 'REQUESTER', 'APPROVALS', 'UNTIL'],
  });
};
