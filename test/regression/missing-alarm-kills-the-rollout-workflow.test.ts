import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RolloutState } from '#domain/rollout/state.ts';
import { progressiveRolloutFile } from '#infra/progressive-rollout-workflow.ts';
import { createRolloutHarness, type RolloutHarness } from '../integration/rollout/harness.ts';

/**
 * Symptom (issue 10, item 8): a strategy watching `{env}-latency-p99`, an alarm dev does not have,
 * killed the workflow at its first check. DescribeAlarms answered no MetricAlarms, Check Health's
 * ResultSelector `$.MetricAlarms[*].StateValue` matched nothing and raised States.Runtime (which no
 * Retry or Catch handles), and the rollout stayed `running` forever, dev deployed and nobody watching.
 */
describe('regression: a missing alarm killed the rollout workflow', () => {
  let h: RolloutHarness;
  beforeAll(async () => {
    h = await createRolloutHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    delete (h.alarms as Partial<{ describeAlarms: unknown }>).describeAlarms;
  });

  const strategy = () =>
    h.strategy({
      phases: [{ name: 'dev', environments: ['dev'], bake: 'PT10M' }],
      health: { alarms: ['{env}-latency-p99'], unknown: { after: 3, action: 'pause' } },
    });

  it.each([
    ['an empty MetricAlarms', 'ro-no-alarm-empty', () => ({ MetricAlarms: [] })],
    ['no MetricAlarms at all', 'ro-no-alarm-absent', () => ({})],
  ])(
    '%s is an unknown reading: the rollout pauses after unknown.after, its workflow alive',
    async (_case, id, answer) => {
      h.alarms.describeAlarms = answer as never;
      const execution = await h.start(id, strategy());
      const paused = await h.waitFor(
        id,
        (s: RolloutState) => s.status !== 'running' && s.status !== 'pending',
      );
      expect(paused.status).toBe('paused');
      expect(paused.lastHealth).toMatchObject({ verdict: 'unknown' });
      expect(paused.reason).toBe('alarm not found: dev-latency-p99 (3 of 3 unknown checks in a row)');
      const waiting = await h.runner.until(execution.executionId, (e) => e.waitingFor.length === 1);
      expect(waiting.status).toBe('RUNNING');
      expect(waiting.history.filter((s) => s.state === 'No Alarm Found')).toHaveLength(3);
      await h.act(id, 'abort', 'no such alarm');
      expect((await h.finished(execution)).status).toBe('SUCCEEDED');
      expect((await h.stateOf(id)).status).toBe('aborted');
    },
  );

  it('the definition reads no path that can match nothing: [*] only where a Choice saw an element', () => {
    const text = readFileSync(progressiveRolloutFile, 'utf8');
    const states = (JSON.parse(text) as { States: Record<string, Record<string, unknown>> }).States;
    const wildcards = Object.entries(states).flatMap(([name, state]) =>
      JSON.stringify(state).includes('[*]') ? [name] : [],
    );
    expect(wildcards).toEqual(['Read Health']);
    expect(states['Alarms Found?']).toMatchObject({
      Choices: [
        { Variable: '$.health.described.MetricAlarms[0].StateValue', IsPresent: true, Next: 'Read Health' },
      ],
      Default: 'No Alarm Found',
    });
    expect(states['Check Health']?.ResultSelector).toEqual({ available: true, 'described.$': '$' });
  });
});
