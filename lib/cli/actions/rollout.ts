import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import { parseRef } from '../bundle-ref.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { CliError, exitCodes } from '../exit-codes.ts';
import {
  EVENT_HEADER,
  eventRows,
  healthText,
  LIST_HEADER,
  PHASE_HEADER,
  phaseRows,
  rolloutFacts,
  startedLines,
  summaryRows,
} from '../rollout-format.ts';
import { nameOrDocument } from '../rollout-input.ts';
import type { RolloutListItem, RolloutView, StartedRolloutView } from '#api/rollout-view.ts';
import type { RolloutAction } from '#domain/rollout/operator-action-names.ts';
import { watchRollout, type FetchRollout } from '../rollout-watch-loop.ts';
import { serverClock } from '../server-clock.ts';

/** A 409 here means the rollout is not where the action applies: say how to see where it is. */
const wrongState = (error: unknown, id: string): unknown =>
  error instanceof CliError && error.problem?.status === 409
    ? new CliError(error.message, error.exitCode, {
        problem: error.problem,
        hint: `See where it stands with \`convoy rollout status ${id}\` (or follow it with \`convoy rollout watch ${id}\`).`,
      })
    : error;

const printView = (ctx: CommandContext, view: RolloutView): void => {
  ctx.out.table(rolloutFacts(view).map(([key, value]) => [key ?? '', value ?? '']));
  ctx.out.line();
  ctx.out.table(phaseRows(view.phases), { header: PHASE_HEADER });
  ctx.out.line();
  ctx.out.line(`health  ${healthText(view.health, view.consecutiveUnknown)}`);
  if (view.events.length > 0) {
    ctx.out.line();
    ctx.out.table(eventRows(view.events), { header: EVENT_HEADER });
  }
};

/** `convoy rollout start <bundle>`. */
export const start = async (
  bundle: string,
  options: { strategy: string; id?: string; idempotencyKey?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  parseRef(bundle);
  const strategy = await nameOrDocument(options.strategy);
  const view = await ctx.client().call<StartedRolloutView>('POST', '/rollouts', {
    json: {
      bundle,
      strategy: 'name' in strategy ? strategy.name : strategy.document,
      ...(options.id === undefined ? {} : { id: options.id }),
    },
    headers: { 'idempotency-key': options.idempotencyKey ?? randomUUID() },
  });
  printStarted(ctx, view);
};

/** A started rollout (of a bundle or a release): `--json` the view, else its lines and warnings. */
export const printStarted = (ctx: CommandContext, view: StartedRolloutView): void => {
  if (ctx.json) {
    ctx.out.data(view);
    return;
  }
  const [headline, ...rest] = startedLines(view);
  ctx.out.line(`${ctx.out.style('green', '✓')} ${headline ?? ''}`);
  for (const line of rest) ctx.out.line(`  ${line}`);
  if (view.warnings.length > 0) {
    ctx.out.line();
    ctx.out.line(ctx.out.style('yellow', `${view.warnings.length} warning(s):`));
    ctx.out.problems(view.warnings);
  }
};

/** `convoy rollout status <id>`. */
export const status = async (id: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const view = await ctx.client().call<RolloutView>('GET', `/rollouts/${segment(id)}`);
  if (ctx.json) ctx.out.data(view);
  else printView(ctx, view);
};

/** `convoy rollout list`. */
export const list = async (options: { limit?: number }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx
    .client()
    .call<{ rollouts: RolloutListItem[] }>('GET', '/rollouts', { query: { limit: options.limit } });
  if (ctx.json) ctx.out.data(result);
  else if (result.rollouts.length === 0)
    ctx.out.line(
      'No rollouts yet. Start one with `convoy rollout start <bundle>@<version> --strategy <name>`.',
    );
  else ctx.out.table(summaryRows(result.rollouts), { header: LIST_HEADER });
};

/** `convoy rollout watch <id>`. */
export const watch = async (id: string, options: { intervalMs: number }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const client = ctx.client();
  const fetch: FetchRollout = async (etag) => {
    const response = await client.request('GET', `/rollouts/${segment(id)}`, {
      ...(etag === undefined ? {} : { headers: { 'if-none-match': etag } }),
      accept: [304],
    });
    if (response.status === 304) return undefined;
    const next = response.headers.get('etag');
    return { view: JSON.parse(response.text) as RolloutView, ...(next === null ? {} : { etag: next }) };
  };
  const tty = !ctx.json && process.stdout.isTTY;
  const now = await serverClock(client);
  const view = await watchRollout(
    {
      fetch,
      tty,
      write: (text) => {
        if (!ctx.json) ctx.out.raw(text);
      },
      columns: process.stdout.columns,
      now,
      sleep: (ms) => sleep(ms),
      style: (format, text) => ctx.out.style(format, text),
    },
    options.intervalMs,
  );
  if (ctx.json) ctx.out.data(view);
  if (view.status !== 'succeeded') ctx.setExitCode(exitCodes.rejected);
};

const PAST: Record<RolloutAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  pause: 'paused',
  resume: 'resumed',
  abort: 'abort requested',
  promote: 'promoted',
};

/** `convoy rollout <action> <id>`: approve, reject, pause, resume, abort, promote. */
export const act =
  (action: RolloutAction) =>
  async (id: string, options: { reason?: string }, command: Command): Promise<void> => {
    const ctx = contextOf(command);
    const view = await ctx
      .client()
      .call<RolloutView>('POST', `/rollouts/${segment(id)}/${action}`, {
        json: options.reason === undefined ? {} : { reason: options.reason },
      })
      .catch((error: unknown) => {
        throw wrongState(error, id);
      });
    if (ctx.json) {
      ctx.out.data(view);
      return;
    }
    ctx.out.line(
      `${ctx.out.style('green', '✓')} rollout ${view.id} ${PAST[action]} by ${ctx.principal}: now ${view.status}`,
    );
  };
