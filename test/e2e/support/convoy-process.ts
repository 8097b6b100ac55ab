import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cliEntry = fileURLToPath(new URL('../../../bin/convoy-cli.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON shapes
  json: any;
}

/** The environment of a spawned CLI: no colors, and no CONVOY_* leaking in from the test run. */
export const cliEnv = (extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('CONVOY_'));
  const added = Object.entries(extra).filter(([, value]) => value !== undefined);
  return { ...Object.fromEntries(inherited), NO_COLOR: '1', ...Object.fromEntries(added) };
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Run `node bin/convoy-cli.ts ...args` to completion. */
export const convoy = (args: readonly string[], env: NodeJS.ProcessEnv = cliEnv()): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr, json: parseJson(stdout) });
    });
  });

/**
 * The instant every `convoy up` of the e2e harness starts its clock at (`--clock`), so that no test
 * depends on today's date or time of day. A Wednesday morning outside the demo's freeze windows by
 * default; CI runs the freeze, override and rollout tests again with CONVOY_E2E_CLOCK set to a Saturday
 * inside the year-end freeze and to a DST change (see .ci/run).
 */
export const E2E_CLOCK = process.env.CONVOY_E2E_CLOCK ?? '2026-11-18T09:00:00Z';

export interface RunningConvoy {
  child: ChildProcess;
  pid: number;
  /** The `{ ready: true, url, ... }` line `up --json` prints. */
  ready: {
    url: string;
    readyMs: number;
    enginePid?: number;
    seed?: Record<string, number | string>;
  } & Record<string, unknown>;
  /** The runtime's clock (epoch ms): what "now" is for the Convoy under test. */
  now(): number;
  /** Every NDJSON line printed so far (ready, then audit events). */
  lines(): Record<string, unknown>[];
  stderr(): string;
  /** Send a signal and wait for the process to exit; SIGKILL after `graceMs`. */
  stop(
    signal?: NodeJS.Signals,
    graceMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start `convoy up --json ...args` and wait until it reports ready (or fails). Its clock starts at
 * E2E_CLOCK unless `args` give `--clock`.
 */
export const startConvoy = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Promise<RunningConvoy> =>
  new Promise((resolve, reject) => {
    const clock = args.includes('--clock') ? [] : ['--clock', E2E_CLOCK];
    const child = spawn(process.execPath, [cliEntry, 'up', '--json', ...clock, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let stderr = '';
    const lines: Record<string, unknown>[] = [];
    let settled = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.once('exit', (code, signal) => {
        done({ code, signal });
      });
    });
    const stop: RunningConvoy['stop'] = async (signal = 'SIGTERM', graceMs = 20_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    };
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      void stop('SIGKILL');
      reject(new Error(`${message}\nstderr:\n${stderr}\nstdout:\n${buffer}`));
    };
    const timer = setTimeout(() => {
      fail(`convoy up did not become ready within ${timeoutMs} ms`);
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        const parsed = parseJson(line) as Record<string, unknown> | undefined;
        if (!parsed) continue;
        lines.push(parsed);
        if (parsed.ready === true && !settled && child.pid !== undefined) {
          settled = true;
          clearTimeout(timer);
          // The ready line is read a moment after it was stamped: the clock may run that much behind.
          const offset = Date.parse(String(parsed.now)) - Date.now();
          resolve({
            child,
            pid: child.pid,
            ready: parsed as RunningConvoy['ready'],
            now: () => Date.now() + offset,
            lines: () => lines,
            stderr: () => stderr,
            stop,
          });
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(`convoy up exited before it was ready (code ${code}, signal ${signal})`);
    });
  });

/** Pids of the java (DynamoDB Local) children of a process. */
export const javaChildren = (pid: number): number[] => {
  const result = spawnSync('pgrep', ['-P', String(pid), 'java'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
};

/** Pids of every DynamoDB Local process on the machine. */
export const dynamoDbLocalPids = (): number[] => {
  const result = spawnSync('pgrep', ['-f', 'DynamoDBLocal.jar'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
};

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Last resort for afterAll: kill a pid if it still runs. */
export const killIfAlive = (pid: number | undefined): void => {
  if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
};
