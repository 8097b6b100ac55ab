import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { changeKinds, freezeLevels } from '../../domain/freeze/change-kind.ts';
import type { FreezeStatus } from '../../domain/freeze/freeze-status.ts';
import { inFlightPolicies, type FreezeWindow } from '../../domain/freeze/freeze-window.ts';
import type { Problem } from '../../domain/core/problem.ts';
import { segment } from '../api-client.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { usageError } from '../exit-codes.ts';
import { statusLines, windowRows } from '../freeze-format.ts';
import { validatedWindows, windowDocuments, windowFromFlags, type WindowFlags } from '../freeze-input.ts';
import { readInputFile } from '../read-input.ts';
import { serverClock } from '../server-clock.ts';

/** Repeatable, comma-separated list option: `--env prod-eu --env prod-us` or `--env prod-eu,prod-us`. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

interface AddResult {
  /** `changed`: false when a window was put again exactly as stored. */
  windows: { id: string; created: boolean; changed?: boolean }[];
}

interface ImportResult extends AddResult {
  problems: Problem[];
}

const printAdded = (ctx: CommandContext, result: AddResult, verb = 'added'): void => {
  for (const w of result.windows) {
    const what = w.created ? verb : w.changed === false ? 'unchanged' : 'replaced';
    ctx.out.line(`${ctx.out.style('green', '✓')} freeze window ${w.id} ${what}`);
  }
};

const hasFlags = (flags: WindowFlags): boolean =>
  Object.entries(flags).some(([, value]) => value !== undefined && value !== false);

const registerAdd = (freeze: Command): void => {
  freeze
    .command('add [file]')
    .description('add (or replace, by id) freeze windows from a YAML/JSON calendar file, or one from flags')
    .option('--id <id>', 'window id (default: from --name)')
    .option('--name <name>', 'what people call the window, e.g. "Year-end freeze"')
    .option('--description <text>', 'why the window exists')
    .option('--env <glob>', 'environments it covers (repeatable; default: all)', collect)
    .option('--namespace <glob>', 'namespaces it covers (repeatable; default: all)', collect)
    .option('--team <glob>', 'teams it covers (repeatable; default: all)', collect)
    .option('--kind <glob>', `change kinds it covers (repeatable; ${changeKinds.join(', ')})`, collect)
    .option(
      '--start <when>',
      'one-off: ISO 8601 start (offset, or local with --timezone), or "now" (the next whole second)',
    )
    .option('--end <when>', 'one-off: ISO 8601 end')
    .option('--rrule <rule>', 'recurring: RFC 5545 rule, e.g. "FREQ=WEEKLY;BYDAY=FR;BYHOUR=18"')
    .option('--duration <iso>', 'how long each occurrence (or a one-off from --start) lasts, e.g. P2DT12H')
    .option('--until <when>', 'recurring: no occurrence starts after this')
    .option('--timezone <zone>', 'IANA time zone of local times, e.g. Europe/Berlin')
    .addOption(
      new Option('--level <level>', 'hard: only an override passes; soft: one approval').choices(
        freezeLevels,
      ),
    )
    .option('--allow <kind>', 'change kinds still permitted (repeatable), e.g. flag-kill-switch', collect)
    .option('--forbid-rollback', 'rollback is frozen too (it is permitted by default)')
    .addOption(
      new Option('--in-flight <policy>', 'what a running rollout does when it starts').choices(
        inFlightPolicies,
      ),
    )
    .action(async (file: string | undefined, flags: WindowFlags, command: Command) => {
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
      const result = await ctx.client().call<AddResult>('POST', '/freezes', { json: { windows } });
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      printAdded(ctx, result);
    });
};

export const registerFreeze = (program: Command): void => {
  const freeze = program
    .command('freeze')
    .description('freeze windows: when configuration changes stop, and for what');

  registerAdd(freeze);

  freeze
    .command('list')
    .description('every freeze window')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx.client().call<{ windows: FreezeWindow[] }>('GET', '/freezes');
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      if (result.windows.length === 0) {
        ctx.out.line(
          'No freeze windows. Add one with `convoy freeze add <file>` (see examples/freezes.yaml).',
        );
        return;
      }
      ctx.out.table(windowRows(result.windows), { header: ['ID', 'LEVEL', 'SCOPE', 'SCHEDULE', 'NAME'] });
    });

  freeze
    .command('status')
    .description('is an environment frozen now (or --at), for which kinds, and until when')
    .requiredOption('--env <env>', 'environment')
    .option('--at <instant>', 'ISO 8601 instant to ask about (default: now)')
    .option('--namespace <namespace>', 'a change touching these namespaces (comma-separated)')
    .option('--team <team>', 'a change by these teams (comma-separated)')
    .addOption(new Option('--kind <kind>', 'only this kind of change (default: any)').choices(changeKinds))
    .action(
      async (
        options: { env: string; at?: string; namespace?: string; team?: string; kind?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const status = await ctx
          .client()
          .call<FreezeStatus>('GET', `/environments/${segment(options.env)}/freeze-status`, {
            query: { at: options.at, namespace: options.namespace, team: options.team, kind: options.kind },
          });
        if (ctx.json) {
          ctx.out.data(status);
          return;
        }
        const { headline, rows, footer } = statusLines(options.env, status, options);
        ctx.out.line(
          status.frozen ? ctx.out.style('red', headline) : `${ctx.out.style('green', '✓')} ${headline}`,
        );
        if (rows.length > 0) {
          ctx.out.line();
          ctx.out.table(rows, { header: ['WINDOW', 'LEVEL', 'IN FORCE', 'NAME'] });
          ctx.out.line();
        }
        for (const line of footer) ctx.out.line(ctx.out.style('dim', line));
      },
    );

  freeze
    .command('remove <id>')
    .description('remove a freeze window')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const result = await ctx
        .client()
        .call<{ id: string; removed: boolean }>('DELETE', `/freezes/${segment(id)}`);
      if (ctx.json) {
        ctx.out.data(result);
        return;
      }
      ctx.out.line(`${ctx.out.style('green', '✓')} freeze window ${result.id} removed`);
    });

  freeze
    .command('import <file>')
    .description(
      'add the events of an iCalendar (.ics) file as freeze windows, e.g. from SSM Change Calendar',
    )
    .addOption(
      new Option('--level <level>', 'level of events that do not say (default hard)').choices(freezeLevels),
    )
    .option(
      '--timezone <zone>',
      'zone of floating times and all-day dates (default: the calendar’s, else UTC)',
    )
    .option(
      '--skip-invalid',
      'import the events that can be imported and list the others (default: all or nothing)',
    )
    .action(
      async (
        file: string,
        options: { level?: string; timezone?: string; skipInvalid?: boolean },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        let text: string;
        try {
          text = file === '-' ? await readStdinText() : await readFile(file, 'utf8');
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code ?? String(error);
          throw usageError(`Cannot read ${file} (${reason}).`, 'Pass an .ics file, or - for stdin.');
        }
        const result = await ctx.client().call<ImportResult>('POST', '/freezes/import', {
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
      },
    );

  freeze
    .command('export')
    .description('the freeze calendar as iCalendar (VCALENDAR), for calendar subscriptions')
    .option('--out <file>', 'write it to this file instead of stdout')
    .action(async (options: { out?: string }, command: Command) => {
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
    });
};

const readStdinText = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};
