import type { Command } from 'commander';
import { segment } from '#api/client.ts';
import type {
  ReleaseChangeResponse,
  ReleaseDefineResponse,
  ReleaseListResponse,
  ReleaseResponse,
  SignoffResponse,
} from '#api/releases.ts';
import { parseDocument } from '#domain/core/document.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { readInputFile } from '../read-input.ts';
import { releaseListLines, releaseStatusLines } from '../release-format.ts';

const path = (release: string): string => `/releases/${segment(release)}`;
const done = (ctx: CommandContext, text: string): void => {
  ctx.out.line(`${ctx.out.style('green', '✓')} ${text}`);
};

/** The release a manifest names: --name, else its `name` field. */
const manifestName = (text: string, file: string, name: string | undefined): string => {
  if (name !== undefined) return name;
  const parsed = parseDocument(text);
  const named = parsed.ok ? (parsed.value as { name?: unknown } | null)?.name : undefined;
  if (typeof named === 'string' && named !== '') return named;
  throw usageError(`${file} does not name its release.`, 'Add `name: <release>` to it, or pass --name.');
};

/** `convoy release define <file>`. */
export const define = async (file: string, options: { name?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const input = await readInputFile(file);
  const name = manifestName(input.text, file, options.name);
  const result = await ctx
    .client()
    .call<ReleaseDefineResponse>('PUT', path(name), { text: input.text, contentType: input.contentType });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  done(ctx, `release ${name} ${result.created ? 'defined' : result.changed ? 'replaced' : 'unchanged'}`);
};

/** `convoy release list`. */
export const list = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<ReleaseListResponse>('GET', '/releases');
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  for (const line of releaseListLines(result.releases)) ctx.out.line(line);
};

/** `convoy release status <release>`. */
export const status = async (release: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<ReleaseResponse>('GET', path(release));
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  for (const line of releaseStatusLines(result)) ctx.out.line(line);
};

/** `convoy release signoff <release> --team t [--note ...]` or `--approve`. */
export const signoff = async (
  release: string,
  options: { team?: string; approve?: boolean; note?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  if ((options.team === undefined) === (options.approve !== true))
    throw usageError('Pass --team <team> or --approve (one of them).');
  const note = options.note === undefined ? {} : { note: options.note };
  const json = options.team === undefined ? { approve: true, ...note } : { team: options.team, ...note };
  const result = await ctx.client().call<SignoffResponse>('POST', `${path(release)}/signoffs`, { json });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  done(
    ctx,
    options.team === undefined ? `${release} approved` : `${release} signed off for team ${options.team}`,
  );
  const waiting = result.signoffs.teams.filter((t) => t.state !== 'signed').map((t) => t.team);
  if (result.signoffs.approval.state !== 'signed') waiting.push('a release manager’s approval');
  ctx.out.line(waiting.length === 0 ? 'Every sign-off is in.' : `Still waiting for: ${waiting.join(', ')}.`);
};

const printChange = (ctx: CommandContext, verb: string, result: ReleaseChangeResponse): void => {
  done(ctx, `${result.release} ${verb} ${result.environment} (HEAD ${result.head.version})`);
  for (const b of result.bundles ?? []) ctx.out.line(`  ${b.name}@${b.version}`);
  const override = result.signoffOverride;
  if (override) ctx.out.line(`  sign-offs overridden by ${override.principal}: ${override.reason}`);
};

/** `--override-signoffs --reason ...` as the request's `overrideSignoffs`; either flag alone is usage (2). */
export const signoffOverrideBody = (options: {
  overrideSignoffs?: boolean;
  reason?: string;
}): { overrideSignoffs?: { reason: string } } => {
  if (options.overrideSignoffs === true && (options.reason ?? '').trim() === '')
    throw usageError('--override-signoffs needs --reason <text>.', 'Say why, e.g. --reason "hotfix"');
  if (options.overrideSignoffs !== true && options.reason !== undefined)
    throw usageError('--reason goes with --override-signoffs.');
  return options.overrideSignoffs === true ? { overrideSignoffs: { reason: options.reason ?? '' } } : {};
};

/** `convoy release deploy <release> --env e [--override-signoffs --reason ...]`. */
export const deploy = async (
  release: string,
  options: { env: string; overrideSignoffs?: boolean; reason?: string; override?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const json = {
    environment: options.env,
    ...(options.override === undefined ? {} : { override: options.override }),
    ...signoffOverrideBody(options),
  };
  const result = await ctx
    .client()
    .call<ReleaseChangeResponse>('POST', `${path(release)}/deployments`, { json });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printChange(ctx, 'deployed to', result);
};

/** `convoy release rollback <release> --env e`. */
export const rollback = async (
  release: string,
  options: { env: string; override?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const json = {
    environment: options.env,
    ...(options.override === undefined ? {} : { override: options.override }),
  };
  const result = await ctx
    .client()
    .call<ReleaseChangeResponse>('POST', `${path(release)}/rollback`, { json });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printChange(ctx, 'rolled back in', result);
};
