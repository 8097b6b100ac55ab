import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FreezeStatus } from '#domain/freeze/freeze-status.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { segment } from '#api/client.ts';
import type { FreezeImportResponse, FreezePutResponse } from '#api/freezes.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { statusLines, windowRows } from '../freeze-format.ts';
import { validatedWindows, windowDocuments, windowFromFlags, type WindowFlags } from '../freeze-input.ts';
import { readInputFile } from '../read-input.ts';
import { serverClock } from '../server-clock.ts';

const printAdded = (ctx: CommandContext, result: FreezePutResponse, verb = 'added'): void => {
  for (const w of result.windows) {
    const what = w.created ? verb : w.changed === false ? 'unchanged' : 'replaced';
    ctx.out.line(`${ctx.out.style('green', '✓')} freeze window ${w.id} ${what}`);
  }
};

const hasFlags = (flags: WindowFlags): boolean =>
  Object.entries(flags).some(([, value]) => value !== undefined && value !== false);

/** `convoy freeze add [file]`. */
export const add = async (file: string | undefined, flags: WindowFlags, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  let windows: FreezeWindow[];
  if (file !== undefined) {
    if (hasFlags(flags))
      throw usageError(
        'Give a calendar file or window flags, not both.',
        'e.g. convoy freeze add examples/freezes.yaml',
      );
    windows = validatedWindows(windowDocuments(await readInputFile(file)), file);
  } else {
    const now = await serverClock(ctx.client());
    windows = validatedWindows([windowFromFlags(flags, now())], 'the window');
  }
  const result = await ctx.client().call<FreezePutResponse>('POST', '/freezes', { json: { windows } });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printAdded(ctx, result);
};

/** `convoy freeze list`. */
export const list = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<{ windows: FreezeWindow[] }>('GET', '/freezes');
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  if (result.windows.length === 0) {
    ctx.out.line('No freeze windows. Add one with `convoy freeze add <file>` (see examples/freezes.yaml).');
    return;
  }
  ctx.out.table(windowRows(result.windows), { header: ['ID', 'LEVEL', 'SCOPE', 'SCHEDULE', 'NAME'] });
};

/** `convoy freeze status`. */
export const status = async (
  options: { env: string; at?: string; namespace?: string; team?: string; kind?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx
    .client()
    .call<FreezeStatus>('GET', `/environments/${segment(options.env)}/freeze-status`, {
      query: { at: options.at, namespace: options.namespace, team: options.team, kind: options.kind },
    });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  const { headline, rows, footer } = statusLines(options.env, result, options);
  ctx.out.line(result.frozen ? ctx.out.style('red', headline) : `${ctx.out.style('green', '✓')} ${headline}`);
  if (rows.length > 0) {
    ctx.out.line();
    ctx.out.table(rows, { header: ['WINDOW', 'LEVEL', 'IN FORCE', 'NAME'] });
    ctx.out.line();
  }
  for (const line of footer) ctx.out.line(ctx.out.style('dim', line));
};

/** `convoy freeze remove <id>`. */
export const remove = async (id: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx
    .client()
    .call<{ id: string; removed: boolean }>('DELETE', `/freezes/${segment(id)}`);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.line(`${ctx.out.style('green', '✓')} freeze window ${result.id} removed`);
};

const readStdinText = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** `convoy freeze import <file>`. */
export const importCalendar = async (
  file: string,
  options: { level?: string; timezone?: string; skipInvalid?: boolean },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  let text: string;
  try {
    text = file === '-' ? await readStdinText() : await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot read ${file} (${reason}).`, 'Pass an .ics file, or - for stdin.');
  }
  const result = await ctx.client().call<FreezeImportResponse>('POST', '/freezes/import', {
    text,
    contentType: 'text/calendar',
    query: {
      level: options.level,
      timezone: options.timezone,
      skipInvalid: options.skipInvalid === true ? 'true' : undefined,
    },
  });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  printAdded(ctx, result, 'imported');
  if (result.problems.length > 0) {
    ctx.out.line(`${ctx.out.style('yellow', '!')} skipped (--skip-invalid):`);
    ctx.out.problems(result.problems);
  }
};

/** `convoy freeze export`. */
export const exportCalendar = async (options: { out?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const response = await ctx
    .client()
    .request('GET', '/freezes/export', { headers: { accept: 'text/calendar' } });
  if (options.out === undefined) {
    ctx.out.raw(response.text);
    return;
  }
  await writeFile(options.out, response.text).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`Cannot write ${options.out ?? ''} (${reason}).`);
  });
  const events = response.text.match(/^BEGIN:VEVENT\r?$/gm)?.length ?? 0;
  if (ctx.json) {
    ctx.out.data({ file: options.out, windows: events });
    return;
  }
  ctx.out.line(`${ctx.out.style('green', '✓')} ${events} freeze window(s) written to ${options.out}`);
};
