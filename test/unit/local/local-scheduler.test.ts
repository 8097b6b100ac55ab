import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLocalScheduler, type LocalScheduler } from '#local/local-scheduler.ts';

/** Fake timers: the schedules fire when the test moves time, never on the wall clock. */
const T0 = Date.parse('2026-12-18T12:00:00Z');
let scheduler: LocalScheduler;
let fired: Record<string, unknown>[];
let failures: string[];

const create = (target?: (payload: Record<string, unknown>) => Promise<unknown>) => {
  scheduler = createLocalScheduler({
    target:
      target ??
      ((payload) => {
        fired.push(payload);
        return Promise.resolve();
      }),
    onError: (schedule, error) => {
      failures.push(`${schedule.name}: ${String(error)}`);
    },
  });
  return scheduler;
};

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  fired = [];
  failures = [];
});
afterEach(async () => {
  await scheduler.stop();
  vi.useRealTimers();
});

const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

describe('local scheduler', () => {
  it('fires a schedule once at its time with its payload, then forgets it', async () => {
    create();
    await scheduler.arm({
      name: 'convoy-freeze-xmas',
      at: at(10),
      payload: { reason: 'window-start', windowId: 'xmas' },
    });
    expect(scheduler.armed()).toEqual([
      { name: 'convoy-freeze-xmas', at: at(10), payload: { reason: 'window-start', windowId: 'xmas' } },
    ]);
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual([{ reason: 'window-start', windowId: 'xmas' }]);
    expect(scheduler.armed()).toEqual([]);
  });

  it('fires a time already past at once (a late or missed firing)', async () => {
    create();
    await scheduler.arm({ name: 'late', at: at(-30), payload: { reason: 'window-end' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(fired).toEqual([{ reason: 'window-end' }]);
  });

  it('replaces a schedule armed again under the same name, and disarms', async () => {
    create();
    await scheduler.arm({ name: 'w', at: at(5), payload: { n: 1 } });
    await scheduler.arm({ name: 'w', at: at(20), payload: { n: 2 } });
    await scheduler.arm({ name: 'gone', at: at(1), payload: { n: 3 } });
    await scheduler.disarm('gone');
    await scheduler.disarm('never-armed');
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(fired).toEqual([{ n: 2 }]);
  });

  it('lets the target re-arm its own name while it fires (the next occurrence)', async () => {
    create(async (payload) => {
      fired.push(payload);
      if (fired.length < 3)
        await scheduler.arm({ name: 'weekly', at: at(60 * 24 * 7 * fired.length), payload });
    });
    await scheduler.arm({ name: 'weekly', at: at(0), payload: { reason: 'rearm' } });
    await vi.advanceTimersByTimeAsync(3 * 7 * 24 * 3_600_000);
    expect(fired).toHaveLength(3);
    expect(scheduler.armed()).toEqual([]);
  });

  it('waits out delays longer than one timer allows', async () => {
    create();
    await scheduler.arm({ name: 'far', at: at(60 * 24 * 40), payload: {} });
    await vi.advanceTimersByTimeAsync(39 * 24 * 3_600_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(fired).toEqual([{}]);
  });

  it('retries a failing target, then reports it', async () => {
    let calls = 0;
    create(() => {
      calls += 1;
      return Promise.reject(new Error('table unavailable'));
    });
    await scheduler.arm({ name: 'w', at: at(1), payload: {} });
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    expect(calls).toBe(3);
    expect(failures).toEqual(['w: Error: table unavailable']);
  });

  it('refuses an instant that is not one', async () => {
    create();
    await expect(scheduler.arm({ name: 'w', at: 'someday', payload: {} })).rejects.toMatchObject({
      code: 'bad-request',
    });
  });

  it('fires nothing after stop and refuses new schedules', async () => {
    create();
    await scheduler.arm({ name: 'w', at: at(1), payload: {} });
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(fired).toEqual([]);
    await expect(scheduler.arm({ name: 'w', at: at(1), payload: {} })).rejects.toMatchObject({
      code: 'unavailable',
    });
    await scheduler.stop();
  });
});
