import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { javaChildren } from './convoy-process.ts';

export interface HealthProbe {
  status: number;
  body: { status?: string; runtime?: Record<string, unknown> } & Record<string, unknown>;
}

export const health = async (url: string): Promise<HealthProbe> => {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return { status: res.status, body: (await res.json()) as HealthProbe['body'] };
  } catch (error) {
    return { status: 0, body: { error: String(error) } };
  }
};

/** Polls /health every 25 ms until `accept` holds; every probe seen is returned, in order. */
export const waitForHealth = async (
  url: string,
  accept: (probe: HealthProbe) => boolean,
  timeoutMs = 30_000,
): Promise<HealthProbe[]> => {
  const seen: HealthProbe[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const probe = await health(url);
    seen.push(probe);
    if (accept(probe)) return seen;
    await sleep(25);
  }
  throw new Error(`/health never matched within ${timeoutMs} ms; last: ${JSON.stringify(seen.at(-1))}`);
};

/** One API call as `principal` (a fresh idempotency key per call, as the CLI sends). */
export const call = async (
  url: string,
  method: string,
  path: string,
  body?: unknown,
  principal = 'olivia',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON shapes
): Promise<{ status: number; json: any }> => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'x-convoy-principal': principal,
      'idempotency-key': randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
};

/** The single java child of `convoy up` (DynamoDB Local), which changes with every restart. */
export const engineOf = (convoyPid: number): number => {
  const java = javaChildren(convoyPid);
  if (java.length !== 1) throw new Error(`expected one java child of ${convoyPid}, found ${java.join(', ')}`);
  return java[0]!;
};

/** Dead, or a zombie nobody has reaped yet (an orphan's new parent may be slow to, in a container). */
const dead = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

/** Waits until a pid is gone; false if it still runs after `timeoutMs`. */
export const gone = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead(pid)) return true;
    await sleep(50);
  }
  return dead(pid);
};
