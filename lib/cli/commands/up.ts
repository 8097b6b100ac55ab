import { relative } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AuditEvent } from '#domain/audit/event.ts';
import type { RuntimeInfo } from '#local/runtime.ts';
import { DEFAULT_API_URL } from '#api/client.ts';
import { contextOf, type CommandContext } from '../context.ts';
import { CliError, exitCodes } from '../exit-codes.ts';

interface UpOptions {
  port: number;
  inMemory: boolean;
  demo: boolean;
  dataDir: string;
  table: string;
  timeScale: number;
  clock?: number;
}

/** The store's default table (lib/store/table.ts; the CLI may not load the store, a test keeps them equal). */
export const EMBEDDED_TABLE_NAME = 'convoy';

/** The fastest workflow time: a 1-hour bake in 0.36 s still leaves room for its health checks. */
export const MAX_TIME_SCALE = 10_000;

export const parseTimeScale = (value: string): number => {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_TIME_SCALE)
    throw new InvalidArgumentError(`must be a number > 0 and ≤ ${MAX_TIME_SCALE}, e.g. 60`);
  return scale;
};

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `--clock`: an ISO 8601 instant (with Z or an offset), read as epoch ms. */
export const parseClock = (value: string): number => {
  const at = INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at))
    throw new InvalidArgumentError(
      'must be an ISO 8601 instant with Z or an offset, e.g. 2026-12-19T10:00:00Z',
    );
  return at;
};

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535)');
  return port;
};

const startError = (error: unknown, options: UpOptions): CliError => {
  if (error instanceof CliError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new CliError(`Port ${options.port} is already in use.`, exitCodes.retry, {
      hint: 'Is Convoy already running? Stop it, or pick another port with --port.',
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return new CliError(`Convoy could not reach DynamoDB: ${message}`, exitCodes.retry, {
      hint: 'Check that CONVOY_DYNAMODB_ENDPOINT points at a running DynamoDB, or unset it to start DynamoDB Local.',
    });
  }
  return new CliError(`Convoy could not start: ${message}`, exitCodes.rejected);
};

const printReady = async (ctx: CommandContext, info: RuntimeInfo, options: UpOptions): Promise<void> => {
  if (ctx.json) {
    ctx.out.raw(`${JSON.stringify({ ready: true, ...info })}\n`);
    return;
  }
  const { out } = ctx;
  const seconds = (info.readyMs / 1000).toFixed(1);
  const scale = info.timeScale === 1 ? '' : `, workflow time ×${info.timeScale}`;
  const pinned = options.clock === undefined ? '' : `, clock at ${info.now}`;
  out.line(
    `${out.style('green', 'Convoy is ready at')} ${out.style('bold', info.url)} ${out.style('dim', `(${seconds} s${scale}${pinned})`)}`,
  );
  out.line(`Dashboard: ${info.url}/ (open it in a browser; pick who you act as at the top right)`);
  const storage =
    info.engine === 'external'
      ? 'external'
      : options.inMemory
        ? 'DynamoDB Local, in memory'
        : `DynamoDB Local, data in ${relative(process.cwd(), options.dataDir) || '.'}`;
  out.table([
    ['  storage', `${storage} (${info.endpoint}, table ${info.table})`],
    [
      '  audit',
      `${info.relay === 'streams' ? 'DynamoDB Streams' : 'polling'} → this console and ${relative(process.cwd(), info.auditFile)}`,
    ],
    ['  alarms', 'local CloudWatch stand-in: convoy alarm list | set <name> <state> | outage on|off'],
    ['  stop', 'Ctrl-C'],
  ]);
  if (info.seed) {
    const s = info.seed;
    out.line();
    out.line(
      `Demo data: catalog ${s.catalog}, ${s.services} service version(s) reported, ${s.bundles} bundle(s) pushed, ` +
        `${s.deployments} deployment(s), ${s.freezes} freeze window(s)${s.skipped > 0 ? `, ${s.skipped} already present` : ''}.`,
    );
    out.line(`API: ${info.url}   Try:`);
    const { demoTour } = await import('#local/seed.ts');
    for (const line of demoTour(info.url, DEFAULT_API_URL)) out.line(`  ${line}`);
  }
  out.line();
};

export const registerUp = (program: Command): void => {
  program
    .command('up')
    .description('run Convoy on this machine: DynamoDB Local, the API, the audit bus and demo data')
    .option('--port <port>', 'API port', parsePort, 4310)
    .option('--in-memory', 'keep all data in memory (nothing persists)', false)
    .option('--no-demo', 'do not seed the demo data from examples/')
    .option('--data-dir <dir>', 'where data and audit.jsonl are kept', '.convoy')
    .option(
      '--time-scale <n>',
      `workflow time runs n× faster (bakes, checks, approval timeouts; up to ${MAX_TIME_SCALE}); freezes, reports and audit keep the calendar`,
      parseTimeScale,
      1,
    )
    .option(
      '--clock <instant>',
      "start Convoy's clock at this instant; it then runs at real speed (try any date: a freeze, a DST change)",
      parseClock,
    )
    .addOption(
      new Option('--table <name>', 'DynamoDB table name')
        .env('CONVOY_TABLE_NAME')
        .default(EMBEDDED_TABLE_NAME),
    )
    .action(async (options: UpOptions, command: Command) => {
      const ctx = contextOf(command);
      const endpoint = process.env.CONVOY_DYNAMODB_ENDPOINT || undefined;
      // Loaded on demand (like the runtime below): no other command needs lib/local.
      const { assertJava } = await import('#local/dynamodb-local.ts');
      const { auditSummary } = await import('#local/audit-sinks.ts');
      if (endpoint === undefined) {
        try {
          assertJava();
        } catch (error) {
          throw new CliError((error as Error).message, exitCodes.rejected);
        }
      }
      // Loaded on demand: the other commands never need the AWS SDK.
      const { createRuntime } = await import('#local/runtime.ts');
      const runtime = createRuntime({
        port: options.port,
        inMemory: options.inMemory,
        demo: options.demo,
        dataDir: options.dataDir,
        table: options.table,
        timeScale: options.timeScale,
        ...(options.clock === undefined ? {} : { clockStart: options.clock }),
        ...(endpoint === undefined ? {} : { endpoint }),
        onAuditEvent: (event: AuditEvent) => {
          if (ctx.json) ctx.out.raw(`${JSON.stringify({ audit: event })}\n`);
          else ctx.out.line(ctx.out.style('dim', auditSummary(event)));
        },
        warn: (line) => {
          ctx.out.note(`${ctx.out.style('yellow', 'warning')} ${line}`);
        },
      });

      let resolveStopped: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => {
        resolveStopped = resolve;
      });
      const shutdown = { signalled: false };
      const onSignal = (signal: NodeJS.Signals): void => {
        if (shutdown.signalled) {
          ctx.out.note('Forced stop.');
          process.exit(130); // the runtime's exit hook still kills DynamoDB Local
        }
        shutdown.signalled = true;
        ctx.out.note(`${signal}: stopping Convoy…`);
        void runtime.stop().then(() => {
          ctx.out.note('Convoy stopped.');
          resolveStopped();
        });
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await printReady(ctx, await runtime.start(), options);
      } catch (error) {
        if (!shutdown.signalled) {
          await runtime.stop();
          throw startError(error, options);
        }
      }
      await stopped;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
};
