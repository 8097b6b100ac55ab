import { describe, expect, it } from 'vitest';
import { CliError, exitCodes } from '#cli/exit-codes.ts';
import { MAX_POLL_FAILURES, watchRollout, type WatchIo } from '#cli/rollout-watch-loop.ts';
import type { RolloutView } from '#api/rollout-view.ts';
import { NOW, runningView } from './rollout-fixtures.ts';

type Poll = RolloutView | 304 | Error;

/** A watch over scripted polls; records what it wrote, the ETags it sent and the pauses it took. */
const scripted = (polls: Poll[], tty: boolean, columns?: number) => {
  const written: string[] = [];
  const etags: (string | undefined)[] = [];
  const sleeps: number[] = [];
  let i = 0;
  const io: WatchIo = {
    fetch: (etag) => {
      etags.push(etag);
      const poll = polls[Math.min(i, polls.length - 1)];
      i += 1;
      if (poll instanceof Error) return Promise.reject(poll);
      if (poll === 304 || poll === undefined) return Promise.resolve(undefined);
      return Promise.resolve({ view: poll, etag: `"${poll.events.length}"` });
    },
    write: (text) => written.push(text),
    tty,
    ...(columns === undefined ? {} : { columns }),
    now: () => NOW,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
  return { io, written, etags, sleeps };
};

const running = runningView();
const later = runningView({
  events: [
    ...running.events,
    {
      seq: 6,
      at: '2026-11-23T10:06:00.000Z',
      type: 'HealthChecked',
      phase: 'staging',
      environment: null,
      detail: 'healthy',
    },
  ],
});
const done = runningView({ status: 'succeeded', events: [...later.events] });
const transient = new CliError('Cannot reach the Convoy API', exitCodes.retry);

describe('watchRollout', () => {
  it('on a terminal: redraws the frame in place each poll, with If-None-Match, until the rollout ends', async () => {
    const { io, written, etags, sleeps } = scripted([running, 304, done], true);
    const last = await watchRollout(io, 250);
    expect(last.status).toBe('succeeded');
    expect(etags).toEqual([undefined, '"6"', '"6"']);
    expect(sleeps).toEqual([250, 250]);
    expect(written).toHaveLength(3);
    expect(written[0]?.startsWith('rollout ro-1')).toBe(true);
    const rows = (written[0] ?? '').trimEnd().split('\n').length;
    // A 304 still redraws: the bars move with the clock.
    expect(written[1]?.startsWith(`\x1b[${rows}A\x1b[0J`)).toBe(true);
    expect(written[2]).toContain('succeeded');
  });

  it('counts wrapped rows when it knows the terminal width', async () => {
    const { io, written } = scripted([running, done], true, 20);
    await watchRollout(io, 1);
    const physical = (written[0] ?? '')
      .trimEnd()
      .split('\n')
      .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 20)), 0);
    expect(written[1]?.startsWith(`\x1b[${physical}A`)).toBe(true);
  });

  it('elsewhere: appends each new event once, then the final frame', async () => {
    const { io, written } = scripted([running, 304, later, done], false);
    await watchRollout(io, 1);
    const text = written.join('');
    expect(text.startsWith('watching rollout ro-1 (checkout-timeouts@3, strategy standard)\n')).toBe(true);
    expect(text.match(/PhaseDeployed {2}staging/g)).toHaveLength(1);
    expect(text.match(/HealthChecked/g)).toHaveLength(2); // its line, and the final frame's recent events
    expect(text).not.toContain('\x1b[');
    expect(text.trimEnd().split('\n').at(-1)).toContain('HealthChecked');
    expect(text).toContain('\nrollout ro-1  checkout-timeouts@3  strategy standard  succeeded\n');
  });

  it('says nothing more when a view brings no new event', async () => {
    const quiet = runningView({ bundle: null, strategy: null, events: [] });
    const { io, written } = scripted([quiet, { ...quiet, status: 'aborted' }], false);
    expect((await watchRollout(io, 1)).status).toBe('aborted');
    expect(written[0]).toBe('watching rollout ro-1 (-, strategy -)\n');
    expect(written).toHaveLength(2);
  });

  it('rides out a few transient failures, and gives up after too many in a row', async () => {
    const ok = scripted([running, transient, transient, done], false);
    expect((await watchRollout(ok.io, 1)).status).toBe('succeeded');

    const down = scripted([running, ...Array<Poll>(MAX_POLL_FAILURES).fill(transient)], false);
    await expect(watchRollout(down.io, 1)).rejects.toBe(transient);
  });

  it.each<[string, Poll[]]>([
    ['the first poll fails', [transient]],
    ['a refusal is not retried', [running, new CliError('not found', exitCodes.rejected)]],
    ['an unexpected error is not retried', [running, new Error('boom')]],
  ])('fails at once when %s', async (_case, polls) => {
    const { io } = scripted(polls, true);
    await expect(watchRollout(io, 1)).rejects.toBe(polls.at(-1));
  });

  it('refuses a 304 before it has a view', async () => {
    const { io } = scripted([304], false);
    await expect(watchRollout(io, 1)).rejects.toThrow(/304/);
  });
});
