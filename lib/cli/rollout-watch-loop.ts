import { stripVTControlCharacters } from 'node:util';
import { isTerminal } from '#domain/rollout/state.ts';
import { CliError, exitCodes } from './exit-codes.ts';
import { eventLines, renderRolloutWatch, type WatchRenderOptions } from './rollout-watch.ts';
import type { RolloutView } from '#api/rollout-view.ts';

/** A poll: the view when it changed since `etag`, nothing when the API answered 304. */
export type FetchRollout = (
  etag: string | undefined,
) => Promise<{ view: RolloutView; etag?: string } | undefined>;

export interface WatchIo {
  fetch: FetchRollout;
  write(text: string): void;
  /** Redraw in place (a terminal), or append plain lines (a pipe, a CI log). */
  tty: boolean;
  /** Terminal width, to count the rows a wrapped line takes when redrawing. */
  columns?: number;
  now(): Date;
  sleep(ms: number): Promise<void>;
  style?: WatchRenderOptions['style'];
}

/** Transient failures (API unreachable, 5xx, 429) in a row before the watch gives up. */
export const MAX_POLL_FAILURES = 5;

const rowsOf = (frame: string, columns: number | undefined): number =>
  frame
    .replace(/\n$/, '')
    .split('\n')
    .reduce((rows, line) => {
      const width = stripVTControlCharacters(line).length;
      return rows + (columns && columns > 0 ? Math.max(1, Math.ceil(width / columns)) : 1);
    }, 0);

/**
 * Poll a rollout (If-None-Match) until its status is terminal, drawing it as it goes; resolves to the
 * last view. On a terminal each poll redraws the frame in place (the bars move with the clock even
 * when nothing changed); elsewhere each new event is one appended line, and the final frame closes.
 */
export const watchRollout = async (io: WatchIo, intervalMs: number): Promise<RolloutView> => {
  const render = (view: RolloutView): string =>
    renderRolloutWatch(view, io.now(), io.style ? { style: io.style } : {});
  let view: RolloutView | undefined;
  let etag: string | undefined;
  let drawnRows = 0;
  let shownEvents = 0;
  let announced = false;
  let failures = 0;
  for (;;) {
    try {
      const polled = await io.fetch(etag);
      if (polled) ({ view, etag } = polled);
      failures = 0;
    } catch (error) {
      const transient = error instanceof CliError && error.exitCode === exitCodes.retry;
      failures += 1;
      if (!transient || view === undefined || failures >= MAX_POLL_FAILURES) throw error;
    }
    if (view === undefined) throw new CliError('The API answered 304 to the first poll.', exitCodes.retry);
    if (io.tty) {
      const frame = render(view);
      io.write(`${drawnRows > 0 ? `\x1b[${drawnRows}A\x1b[0J` : ''}${frame}`);
      drawnRows = rowsOf(frame, io.columns);
    } else {
      if (!announced)
        io.write(`watching rollout ${view.id} (${view.bundle ?? '-'}, strategy ${view.strategy ?? '-'})\n`);
      announced = true;
      const fresh = view.events.slice(shownEvents);
      if (fresh.length > 0) io.write(`${eventLines(fresh).join('\n')}\n`);
      shownEvents = Math.max(shownEvents, view.events.length);
    }
    if (isTerminal(view.status)) break;
    await io.sleep(intervalMs);
  }
  if (!io.tty) io.write(`\n${render(view)}`);
  return view;
};
