import { describe, expect, it } from 'vitest';
import { EvaluationTally, TALLY_FLUSH_AFTER_MS, TALLY_MAX_COUNTERS } from '#domain/flags/evaluation-tally.ts';

const on = (flag: string, count = 1) => ({ flag, variant: 'on', reason: 'STATIC', count });
const failed = (flag: string, count = 1) => ({ flag, reason: 'ERROR', count });

describe('the evaluation tally', () => {
  it('sums counts of one identity per environment and hour, and keeps environments and hours apart', () => {
    const tally = new EvaluationTally();
    tally.add('prod', '2026-12-05T10', [on('a'), failed('a')], 0);
    tally.add('prod', '2026-12-05T10', [on('a', 2), on('b')], 1);
    tally.add('prod', '2026-12-05T11', [on('a')], 2);
    tally.add('dev', '2026-12-05T10', [on('a')], 3);
    expect(tally.counters).toBe(5);
    expect(tally.take()).toEqual([
      { environment: 'dev', hour: '2026-12-05T10', counts: [on('a')] },
      { environment: 'prod', hour: '2026-12-05T10', counts: [on('a', 3), failed('a'), on('b')] },
      { environment: 'prod', hour: '2026-12-05T11', counts: [on('a')] },
    ]);
  });

  it('is empty after take: a second take writes nothing twice', () => {
    const tally = new EvaluationTally();
    tally.add('prod', 'h', [on('a')], 0);
    tally.take();
    expect([tally.take(), tally.counters, tally.due(Number.MAX_SAFE_INTEGER)]).toEqual([[], 0, false]);
  });

  it('adding no counts changes nothing', () => {
    const tally = new EvaluationTally();
    tally.add('prod', 'h', [], 0);
    expect([tally.counters, tally.due(TALLY_FLUSH_AFTER_MS), tally.take()]).toEqual([0, false, []]);
  });

  // due(at) after counts were first added at 1,000 (flush after 10 s, or at 3 counters).
  it.each([
    { rule: 'nothing waits', counts: 0, at: 100_000, due: false },
    { rule: 'younger than the flush interval', counts: 1, at: 10_999, due: false },
    { rule: 'as old as the flush interval', counts: 1, at: 11_000, due: true },
    { rule: 'as many counters as the limit', counts: 3, at: 1_000, due: true },
    { rule: 'fewer counters than the limit', counts: 2, at: 1_000, due: false },
  ])('due: $rule → $due', ({ counts, at, due }) => {
    const tally = new EvaluationTally(10_000, 3);
    for (let i = 0; i < counts; i += 1) tally.add('prod', 'h', [on(`f${i}`)], 1_000 + i);
    expect(tally.due(at)).toBe(due);
  });

  it('has defaults an SDK would use: seconds, and thousands of counters', () => {
    const tally = new EvaluationTally();
    expect([tally.flushAfterMs, tally.maxCounters]).toEqual([TALLY_FLUSH_AFTER_MS, TALLY_MAX_COUNTERS]);
  });
});
