import { describe, expect, it } from 'vitest';
import { onWorkflowClock, workflowClock, workflowNowSchema } from '#domain/rollout/workflow-time.ts';

describe('workflow time', () => {
  it('is the calendar when the task input gives no instant', () => {
    const calendar = () => new Date('2026-12-01T09:00:00.000Z');
    expect(workflowClock(undefined, calendar)).toBe(calendar);
  });

  it('starts at the given instant and moves as the calendar does while the task runs', () => {
    let ms = Date.parse('2026-12-01T09:00:00.000Z');
    const clock = workflowClock('2026-12-05T00:00:00.000Z', () => new Date(ms));
    expect(clock().toISOString()).toBe('2026-12-05T00:00:00.000Z');
    ms += 1_500;
    expect(clock().toISOString()).toBe('2026-12-05T00:00:01.500Z');
  });

  it('never reads behind the calendar: a task that starts late acts at the calendar now', () => {
    let ms = Date.parse('2026-12-01T09:00:02.000Z');
    const clock = workflowClock('2026-12-01T09:00:00.000Z', () => new Date(ms));
    expect(clock().toISOString()).toBe('2026-12-01T09:00:02.000Z');
    ms += 1_000;
    expect(clock().toISOString()).toBe('2026-12-01T09:00:03.000Z');
  });

  it('puts a calendar instant as far ahead on the workflow clock', () => {
    expect(onWorkflowClock(10_000, 4_000, 100_000)).toBe(106_000);
  });

  it.each([
    ['2026-12-01T09:00:00.000Z', true],
    ['2026-12-01T09:00:00Z', true],
    ['yesterday', false],
    ['', false],
  ])('accepts %j as $$.State.EnteredTime: %s', (text, ok) => {
    expect(workflowNowSchema.safeParse(text).success).toBe(ok);
  });
});
