import { describe, expect, it } from 'vitest';
import { freePort, type DynamoDbLocal, type EngineExit } from '#local/dynamodb-local.ts';
import { superviseEngine } from '#local/engine-supervisor.ts';

/** A stand-in engine whose death the test decides. */
const fakeEngine = (port: number, pid: number) => {
  let die: (exit: EngineExit) => void = () => undefined;
  const exited = new Promise<EngineExit>((done) => {
    die = done;
  });
  const engine: DynamoDbLocal = {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid,
    dataDir: '/data',
    exited,
    stop: () => {
      die({ code: 0, signal: null });
      return Promise.resolve();
    },
  };
  return {
    engine,
    kill: () => {
      die({ code: null, signal: 'SIGKILL' });
    },
  };
};

const tick = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('superviseEngine', () => {
  it('restarts a dead engine on its port, reporting down then up', async () => {
    const port = await freePort();
    const first = fakeEngine(port, 1);
    const events: string[] = [];
    const warnings: string[] = [];
    let second: ReturnType<typeof fakeEngine> | undefined;
    const supervisor = superviseEngine(first.engine, {
      restart: (at) => {
        second = fakeEngine(at, 2);
        return Promise.resolve(second.engine);
      },
      onDown: (why) => events.push(`down: ${why}`),
      onUp: (next) => {
        events.push(`up: ${String(next.pid)} on ${next.port}`);
        return Promise.resolve();
      },
      onGiveUp: () => events.push('gave up'),
      warn: (line) => warnings.push(line),
      backoffMs: 10,
    });
    first.kill();
    await tick(100);
    expect(events).toEqual(['down: DynamoDB Local (pid 1) was killed by SIGKILL', `up: 2 on ${port}`]);
    expect(supervisor.current().pid).toBe(2);
    expect(supervisor.restarts()).toBe(1);
    expect(warnings[0]).toMatch(
      /pid 1\) was killed by SIGKILL; restarting it in 10 ms on port \d+ with the same data/,
    );
    expect(warnings[1]).toMatch(/is back \(pid 2\)/);
    await supervisor.stop();
  });

  it('backs off, doubling, and gives up after maxRestarts within the window', async () => {
    const port = await freePort();
    const first = fakeEngine(port, 1);
    const warnings: string[] = [];
    let gaveUp = '';
    let attempts = 0;
    const supervisor = superviseEngine(first.engine, {
      restart: () => {
        attempts += 1;
        return Promise.reject(new Error('DynamoDB Local exited with code 1'));
      },
      onDown: () => undefined,
      onUp: () => Promise.resolve(),
      onGiveUp: (why) => {
        gaveUp = why;
      },
      warn: (line) => warnings.push(line),
      maxRestarts: 3,
      backoffMs: 5,
    });
    first.kill();
    await tick(200);
    expect(attempts).toBe(3);
    expect(warnings.slice(0, 3).map((line) => /in (\d+) ms/.exec(line)?.[1])).toEqual(['5', '10', '20']);
    expect(gaveUp).toMatch(/3 restarts within 60 s, giving up: restart Convoy/);
    await supervisor.stop();
  });

  it('does not restart an engine stopped on purpose', async () => {
    const first = fakeEngine(await freePort(), 1);
    let restarted = false;
    const supervisor = superviseEngine(first.engine, {
      restart: () => {
        restarted = true;
        return Promise.reject(new Error('unexpected'));
      },
      onDown: () => undefined,
      onUp: () => Promise.resolve(),
      onGiveUp: () => undefined,
      warn: () => undefined,
      backoffMs: 5,
    });
    await supervisor.stop();
    await tick(50);
    expect(restarted).toBe(false);
  });
});
