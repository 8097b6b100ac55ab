import { createServer } from 'node:net';
import type { DynamoDbLocal, EngineExit } from './dynamodb-local.ts';

export interface EngineSupervisorOptions {
  /** Starts the engine again on the same data and port (the endpoint every client holds stays valid). */
  restart: (port: number) => Promise<DynamoDbLocal>;
  /** The engine died: the runtime stops accepting requests and reports itself degraded. */
  onDown: (why: string) => void;
  /** A restarted engine answers; the runtime re-checks the table, then serves again. */
  onUp: (engine: DynamoDbLocal) => Promise<void>;
  /** Restarts kept failing: the runtime stays degraded until someone restarts Convoy. */
  onGiveUp: (why: string) => void;
  warn: (line: string) => void;
  /** Restarts allowed within `windowMs` before giving up. @default 5 */
  maxRestarts?: number;
  /** @default 60_000 */
  windowMs?: number;
  /** The first delay before a restart; it doubles with each restart in the window. @default 250 */
  backoffMs?: number;
  /** @default 8_000 */
  maxBackoffMs?: number;
}

export interface EngineSupervisor {
  /** The engine running now (a new pid after each restart). */
  current(): DynamoDbLocal;
  restarts(): number;
  /** No more restarts; stops the engine running now. */
  stop(): Promise<void>;
}

const describeExit = (exit: EngineExit): string =>
  exit.signal ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;

/** True when nothing listens on the port, so a restart there serves the endpoint clients hold. */
const portIsFree = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => {
      done(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        done(true);
      });
    });
  });

/**
 * Watches DynamoDB Local and restarts it when it dies, on the same data folder and port, with
 * exponential backoff; gives up after `maxRestarts` restarts within `windowMs` (a crash loop is not
 * healed by trying forever).
 */
export const superviseEngine = (first: DynamoDbLocal, options: EngineSupervisorOptions): EngineSupervisor => {
  const maxRestarts = options.maxRestarts ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const backoffMs = options.backoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 8_000;
  let engine = first;
  let stopped = false;
  /** Read after each await: stop() may have run meanwhile. */
  const isStopped = (): boolean => stopped;
  let total = 0;
  const recent: number[] = [];
  let timer: NodeJS.Timeout | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((done) => {
      timer = setTimeout(done, ms);
    });

  const recover = async (why: string): Promise<void> => {
    for (;;) {
      const now = Date.now();
      while (recent.length > 0 && now - (recent[0] ?? now) > windowMs) recent.shift();
      if (recent.length >= maxRestarts) {
        const line = `DynamoDB Local ${why}; ${maxRestarts} restarts within ${windowMs / 1000} s, giving up: restart Convoy.`;
        options.warn(line);
        options.onGiveUp(line);
        return;
      }
      const delay = Math.min(backoffMs * 2 ** recent.length, maxBackoffMs);
      recent.push(now);
      total += 1;
      options.warn(
        `DynamoDB Local ${why}; restarting it in ${delay} ms on port ${engine.port} with the same data ` +
          `(${engine.dataDir ?? 'in memory: its data is lost'}), restart ${recent.length} of ${maxRestarts}.`,
      );
      await pause(delay);
      if (isStopped()) return;
      if (!(await portIsFree(engine.port))) {
        why = `cannot restart: port ${engine.port} is taken by another process`;
        continue;
      }
      try {
        const next = await options.restart(engine.port);
        if (isStopped()) {
          await next.stop();
          return;
        }
        try {
          await options.onUp(next);
        } catch (error) {
          await next.stop();
          throw error;
        }
        engine = next;
        options.warn(`DynamoDB Local is back (pid ${String(next.pid)}); Convoy serves again.`);
        watch(next);
        return;
      } catch (error) {
        why = `did not restart (${error instanceof Error ? error.message : String(error)})`;
      }
    }
  };

  const watch = (running: DynamoDbLocal): void => {
    void running.exited.then((exit) => {
      if (stopped || running !== engine) return;
      const why = `(pid ${String(running.pid)}) ${describeExit(exit)}`;
      options.onDown(`DynamoDB Local ${why}`);
      void recover(why);
    });
  };
  watch(first);

  return {
    current: () => engine,
    restarts: () => total,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await engine.stop();
    },
  };
};
