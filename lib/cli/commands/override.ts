import { InvalidArgumentError, Option, type Command } from 'commander';
import { changeKinds } from '../../domain/freeze/change-kind.ts';
import { overrideStatuses, type Override } from '../../domain/freeze/override.ts';
import { segment } from '../api-client.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { overrideFacts, overrideNextStep, overrideRows, overrideTarget } from '../freeze-format.ts';
import { parseRef } from './bundle.ts';
import { collect } from './freeze.ts';

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

const parseCount = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return count;
};

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

const registerDecision = (override: Command, verdict: 'approve' | 'reject'): void => {
  const command =
    verdict === 'approve'
      ? override
          .command('approve <id>')
          .description('approve an override you were routed to (never your own)')
          .option('--comment <text>', 'a note kept with the approval')
      : override
          .command('reject <id>')
          .description('reject an override; a rejection ends the request')
          .requiredOption('--reason <text>', 'why it is rejected');
  command.action(async (id: string, options: { comment?: string; reason?: string }, cmd: Command) => {
    const ctx = contextOf(cmd);
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
  });
};

export const registerOverride = (program: Command): void => {
  const override = program
    .command('override')
    .description('emergency overrides: approved, time-boxed, single-use passes through a freeze');

  override
    .command('request')
    .description('ask for an override of the freeze on an environment, for one bundle or some change kinds')
    .requiredOption('--env <env>', 'environment')
    .option('--bundle <ref>', 'the bundle (name@version) it lets through')
    .addOption(
      new Option(
        '--kind <kind>',
        `change kinds it lets through (repeatable): ${changeKinds.join(', ')}`,
      ).argParser(collect),
    )
    .requiredOption('--reason <text>', 'why this cannot wait (at least 10 characters)')
    .requiredOption('--ticket <id>', 'incident or change ticket, e.g. INC-4711')
    .option('--duration <iso>', 'time box once approved (default PT2H, at most PT24H)')
    .option('--approvals <n>', 'approvals to require (at least what the freeze level needs)', parseCount)
    .option('--reusable', 'may be used more than once inside its time box (default: single-use)')
    .action(async (options: RequestOptions, command: Command) => {
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
    });

  registerDecision(override, 'approve');
  registerDecision(override, 'reject');

  override
    .command('show <id>')
    .description('one override: scope, reason, approvals, time box and uses')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx.client().call<OverrideView>('GET', `/overrides/${segment(id)}`);
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      printOverride(ctx, result, `override ${result.id}: ${result.status}`);
    });

  override
    .command('list')
    .description('overrides: pending, approved, rejected, expired and used')
    .addOption(new Option('--status <status>', 'only overrides in this state').choices(overrideStatuses))
    .option('--env <env>', 'only overrides for this environment')
    .action(async (options: { status?: string; env?: string }, command: Command) => {
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
    });
};
