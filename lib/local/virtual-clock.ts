/** What a timer does when it fires; a returned promise holds the clock until it settles. */
export type TimerCallback = () => unknown;

interface Timer {
  at: number;
  /** Registration order: timers due at the same instant fire in the order they were set. */
  seq: number;
  fire: TimerCallback;
}

export interface VirtualClockOptions {
  /** Epoch milliseconds the clock starts at. */
  start: number;
  /** The clock never moves past this instant: timers due later are left pending. @default no limit */
  limit?: number;
  /**
   * Called, at most once per virtual instant, when everything is idle and the clock is about to move
   * on (or has nothing left to do): the last chance to act at this instant. A promise holds the clock.
   */
  beforeAdvance?: TimerCallback;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Time for simulations: it only moves when nothing holds it. Whoever works (a workflow execution
 * between its waits, a timer's async callback) holds the clock; once no one does, the clock jumps to
 * the earliest pending timer and fires it (ties in the order they were set), then waits for idleness
 * again. A timer set while advancing, even for the current instant, takes its turn. No real timers:
 * advancing is scheduled with setImmediate, after the microtasks of the work that just ended.
 */
export class VirtualClock {
  private current: number;
  private readonly limit: number;
  private readonly beforeAdvance: TimerCallback | undefined;
  /** Pending timers, sorted by (at, seq). */
  private readonly timers: Timer[] = [];
  private holds = 0;
  private seq = 0;
  private scheduled = false;
  private hookedAt: number | undefined;
  private failure: { error: unknown } | undefined;
  private readonly waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];

  constructor(options: VirtualClockOptions) {
    this.current = options.start;
    this.limit = options.limit ?? Infinity;
    this.beforeAdvance = options.beforeAdvance;
  }

  /** Epoch milliseconds. */
  now(): number {
    return this.current;
  }

  /** Timers not fired yet. */
  get pending(): number {
    return this.timers.length;
  }

  /** Keep the clock where it is until the returned release is called (idempotent). */
  hold(): () => void {
    this.holds += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.holds -= 1;
      if (this.holds === 0) this.schedule();
    };
  }

  /** Fire `fire` at `at` (epoch ms; the past means now). Returns a cancel function. */
  setTimer(at: number, fire: TimerCallback): () => void {
    const timer: Timer = { at: Math.max(at, this.current), seq: this.seq++, fire };
    // Binary search: after every timer due at the same instant or earlier.
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.timers[mid] as Timer).at <= timer.at) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
    if (this.holds === 0) this.schedule();
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /**
   * Resolves once nothing holds the clock and no timer is due within the limit; rejects with the
   * first error a timer callback (or the beforeAdvance hook) threw.
   */
  idle(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.advance();
    });
  }

  private settle(): void {
    for (const waiter of this.waiters.splice(0)) {
      if (this.failure) waiter.reject(this.failure.error);
      else waiter.resolve();
    }
  }

  private advance(): void {
    if (this.holds > 0) return;
    if (this.failure) {
      this.settle();
      return;
    }
    const next = this.timers[0];
    const due = next !== undefined && next.at <= this.limit;
    if (this.beforeAdvance && this.hookedAt !== this.current && !(due && next.at === this.current)) {
      this.hookedAt = this.current;
      this.run(this.beforeAdvance);
      return;
    }
    if (!due) {
      this.settle();
      return;
    }
    this.timers.shift();
    this.current = next.at;
    this.run(next.fire);
  }

  /** Run a callback as work that holds the clock; an error stops the clock and fails `idle()`. */
  private run(callback: TimerCallback): void {
    const release = this.hold();
    const fail = (error: unknown): void => {
      this.failure ??= { error };
    };
    try {
      const result = callback();
      if (isThenable(result)) {
        result.then(release, (error: unknown) => {
          fail(error);
          release();
        });
        return;
      }
    } catch (error) {
      fail(error);
    }
    release();
  }
}
