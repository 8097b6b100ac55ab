import { describe, expect, it } from 'vitest';
import { VirtualClock } from '#local/virtual-clock.ts';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const min = (n: number): number => T0 + n * 60_000;

/** A clock whose timers log `name@minutes` as they fire. */
const logging = (options: { limit?: number; beforeAdvance?: () => unknown } = {}) => {
  const clock = new VirtualClock({ start: T0, ...options });
  const log: string[] = [];
  const at = (minutes: number, name: string, then?: () => unknown) =>
    clock.setTimer(min(minutes), () => {
      log.push(`${name}@${(clock.now() - T0) / 60_000}`);
      return then?.();
    });
  return { clock, log, at };
};

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('VirtualClock', () => {
  it('fires timers in time order, jumping straight to each, whatever order they were set in', async () => {
    const { clock, log, at } = logging();
    at(30, 'c');
    at(5, 'a');
    at(10, 'b');
    await clock.idle();
    expect(log).toEqual(['a@5', 'b@10', 'c@30']);
    expect(clock.now()).toBe(min(30));
    expect(clock.pending).toBe(0);
  });

  it('fires timers due at the same instant in the order they were set', async () => {
    const { clock, log, at } = logging();
    for (const name of ['first', 'second', 'third']) at(7, name);
    at(3, 'earlier');
    await clock.idle();
    expect(log).toEqual(['earlier@3', 'first@7', 'second@7', 'third@7']);
  });

  it('does not move while anything holds it, and moves as soon as the last hold is released', async () => {
    const { clock, log, at } = logging();
    at(1, 'a');
    const one = clock.hold();
    const two = clock.hold();
    let idle = false;
    const settled = clock.idle().then(() => {
      idle = true;
    });
    await tick();
    await tick();
    expect(log).toEqual([]);
    one();
    one(); // idempotent: the second release of the same hold changes nothing
    await tick();
    await tick();
    expect([log, idle]).toEqual([[], false]);
    two();
    await settled;
    expect(log).toEqual(['a@1']);
  });

  it('waits for an async timer callback (it holds the clock) before firing the next timer', async () => {
    const { clock, log, at } = logging();
    at(1, 'slow', async () => {
      await tick();
      await tick();
      log.push(`slow done@${(clock.now() - T0) / 60_000}`);
    });
    at(2, 'next');
    await clock.idle();
    expect(log).toEqual(['slow@1', 'slow done@1', 'next@2']);
  });

  it('fires timers set while advancing in their turn, one for the current instant included', async () => {
    const { clock, log, at } = logging();
    at(5, 'a', () => {
      at(5, 'same instant');
      at(6, 'later');
      at(1, 'in the past'); // the past means now
    });
    at(5, 'b');
    at(8, 'c');
    await clock.idle();
    expect(log).toEqual(['a@5', 'b@5', 'same instant@5', 'in the past@5', 'later@6', 'c@8']);
  });

  it('forgets a cancelled timer (cancelling twice is harmless)', async () => {
    const { clock, log, at } = logging();
    const cancel = at(2, 'cancelled');
    at(3, 'kept');
    cancel();
    cancel();
    await clock.idle();
    expect(log).toEqual(['kept@3']);
    expect(clock.now()).toBe(min(3));
  });

  it('never moves past its limit: later timers stay pending', async () => {
    const { clock, log, at } = logging({ limit: min(60) });
    at(59, 'in');
    at(60, 'at the limit');
    at(61, 'beyond');
    await clock.idle();
    expect(log).toEqual(['in@59', 'at the limit@60']);
    expect(clock.pending).toBe(1);
  });

  it('calls beforeAdvance once per instant when idle, before moving on or settling', async () => {
    const seen: string[] = [];
    const { clock, log, at } = logging({
      beforeAdvance: async () => {
        await tick();
        seen.push(`hook@${(clock.now() - T0) / 60_000}`);
        // Work the hook starts at this instant runs before the clock moves on.
        if (clock.now() === min(2)) at(2, 'set by the hook');
      },
    });
    at(2, 'a');
    at(2, 'b');
    at(4, 'c');
    await clock.idle();
    expect(log).toEqual(['a@2', 'b@2', 'set by the hook@2', 'c@4']);
    expect(seen).toEqual(['hook@0', 'hook@2', 'hook@4']);
  });

  it('keeps the order of hook and timers in one timeline', async () => {
    const timeline: string[] = [];
    const clock: VirtualClock = new VirtualClock({
      start: T0,
      beforeAdvance: () => {
        timeline.push(`hook@${(clock.now() - T0) / 60_000}`);
      },
    });
    clock.setTimer(min(1), () => timeline.push('timer@1'));
    await clock.idle();
    expect(timeline).toEqual(['hook@0', 'timer@1', 'hook@1']);
  });

  it('rejects idle() with the first error of a callback and stops there', async () => {
    const { clock, log, at } = logging();
    at(1, 'a', () => {
      throw new Error('boom');
    });
    at(2, 'b', () => Promise.reject(new Error('second')));
    await expect(clock.idle()).rejects.toThrow('boom');
    expect(log).toEqual(['a@1']);
    await expect(clock.idle()).rejects.toThrow('boom');
  });

  it('reports an async callback failure too', async () => {
    const { clock, at } = logging();
    at(1, 'a', () => Promise.reject(new Error('async boom')));
    await expect(clock.idle()).rejects.toThrow('async boom');
  });

  it('settles at once when there is nothing to do', async () => {
    const clock = new VirtualClock({ start: T0 });
    await clock.idle();
    expect(clock.now()).toBe(T0);
  });
});
