import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { segment } from '#api/client.ts';
import { flagEnvironment, flagSetSchema, type FlagSet } from '#api/flags/flag-set.ts';
import { toAppConfigFlags } from '#api/formats/appconfig-flags.ts';
import { toFlagdFlags } from '#api/formats/flagd-flags.ts';
import { evaluateKey } from '#domain/flags/evaluate.ts';
import { importUnleash } from '#domain/flags/unleash-import.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { CliError, exitCodes, usageError } from '../exit-codes.ts';
import { parseContext } from '../flag-context.ts';
import { evaluationRows, flagLines, flagRows, LIST_HEADER } from '../flag-format.ts';
import { importedBundle } from '../flag-import-bundle.ts';

/** The environment's flag set (`GET /environments/{env}/flags`), defaults applied. */
const fetchFlagSet = async (ctx: CommandContext, env: string): Promise<FlagSet> => {
  const body = await ctx.client().call<unknown>('GET', `/environments/${segment(env)}/flags`);
  const parsed = flagSetSchema.safeParse(body);
  if (!parsed.success) {
    throw new CliError(`The API answered an unreadable flag set for ${env}.`, exitCodes.rejected, {
      details: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  return parsed.data;
};

const readText = async (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot read ${file} (${reason}).`);
  });

const readJson = async (file: string): Promise<unknown> => {
  const text = await readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw usageError(`${file} is not JSON.`);
  }
};

const writeText = async (file: string, text: string): Promise<void> =>
  writeFile(file, text).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot write ${file} (${reason}).`);
  });

/** `convoy flag list --env e`. */
export const list = async (options: { env: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const set = await fetchFlagSet(ctx, options.env);
  if (ctx.json) {
    ctx.out.data(set);
    return;
  }
  if (Object.keys(set.flags).length === 0) {
    ctx.out.line(`No flags in ${options.env} (version ${set.version}).`);
    return;
  }
  ctx.out.table(flagRows(set.flags), { header: LIST_HEADER });
};

const flagOf = (set: FlagSet, key: string, env: string) => {
  const flag = Object.hasOwn(set.flags, key) ? set.flags[key] : undefined;
  if (flag === undefined) {
    throw new CliError(`Flag ${key} is not defined in ${env}.`, exitCodes.rejected, {
      hint: `convoy flag list --env ${env}`,
    });
  }
  return flag;
};

/** `convoy flag show <key> --env e`. */
export const show = async (key: string, options: { env: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const set = await fetchFlagSet(ctx, options.env);
  const flag = flagOf(set, key, options.env);
  if (ctx.json) {
    ctx.out.data({ key, environment: set.environment, version: set.version, flag });
    return;
  }
  for (const line of flagLines(key, flag, set.segments)) ctx.out.line(line);
};

/** `convoy flag evaluate <key> --env e --context k=v ...`: exit 1 on ERROR (FLAG_NOT_FOUND included). */
export const evaluate = async (
  key: string,
  options: { env: string; context?: string[]; contextFile?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const file = options.contextFile === undefined ? undefined : await readJson(options.contextFile);
  const context = parseContext(options.context ?? [], file);
  const set = await fetchFlagSet(ctx, options.env);
  const result = evaluateKey(key, context, flagEnvironment(set, Date.now()));
  if (result.reason === 'ERROR') ctx.setExitCode(exitCodes.rejected);
  if (ctx.json) {
    ctx.out.data({ key, environment: set.environment, version: set.version, ...result });
    return;
  }
  ctx.out.table(evaluationRows(key, result));
};

/** `convoy flag import --from unleash <file>`: a bundle document (and the segments) on stdout or --out. */
export const importFlags = async (
  file: string,
  options: {
    namespace?: string;
    out?: string;
    name: string;
    bundleVersion: string;
    release: string;
    team?: string;
  },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const imported = importUnleash(await readJson(file));
  const errors = imported.problems.filter((p) => (p.severity ?? 'error') === 'error');
  if (errors.length > 0) {
    throw new CliError(`${file} is not an Unleash client features payload.`, exitCodes.usage, {
      problem: { problems: errors },
    });
  }
  const result = importedBundle(imported, {
    name: options.name,
    version: options.bundleVersion,
    release: options.release,
    team: options.team ?? options.namespace ?? 'flags',
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
  });
  const segments = Object.keys(result.segments).length;
  const text =
    stringify(result.bundle) +
    (segments === 0
      ? ''
      : `---\n# Segments the flags reference: add them to the catalog (they are not part of the bundle).\n${stringify({ segments: result.segments })}`);
  if (ctx.json && options.out === undefined) ctx.out.data(result);
  else if (options.out === undefined) ctx.out.raw(text);
  else await writeText(options.out, text);
  if (ctx.json && options.out !== undefined) ctx.out.data({ file: options.out, ...result });
  if (!ctx.json) {
    for (const p of result.problems)
      ctx.out.note(`${ctx.out.style('yellow', 'warning')} ${p.code}  ${p.key ?? '-'}  ${p.message}`);
    if (options.out !== undefined) {
      ctx.out.line(
        `${ctx.out.style('green', '✓')} ${result.bundle.changes.length} flag(s) and ${segments} segment(s) written to ${options.out}`,
      );
    }
  }
};

/** `convoy flag export --env e --format openfeature|appconfig`: unmappable flags are reported on stderr. */
export const exportFlags = async (
  options: { env: string; format: 'openfeature' | 'appconfig'; out?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const set = await fetchFlagSet(ctx, options.env);
  const { document, problems } = options.format === 'openfeature' ? toFlagdFlags(set) : toAppConfigFlags(set);
  for (const p of problems)
    ctx.out.note(`${ctx.out.style('yellow', 'warning')} ${p.code}  ${p.flag}  ${p.message}`);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (options.out === undefined) {
    ctx.out.raw(text);
    return;
  }
  await writeText(options.out, text);
  const count = Object.keys(set.flags).length - problems.length;
  if (ctx.json) ctx.out.data({ file: options.out, flags: count, problems });
  else ctx.out.line(`${ctx.out.style('green', '✓')} ${count} flag(s) written to ${options.out}`);
};
