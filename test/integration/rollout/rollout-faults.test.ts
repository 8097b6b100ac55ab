import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHECKS_PER_EXECUTION } from '#app/rollouts/rollout-stream.ts';
import { readFileSync } from 'node:fs';
import { progressiveRolloutFile } from '#infra/progressive-rollout-workflow.ts';
import { createRolloutHarness, type RolloutHarness } from './harness.ts';

/**
 * Faults and long rollouts on the real ASL: a deploy task whose answer is lost after it committed
 * (retried without a second deployment), and continue-as-new.
 */
let h: RolloutHarness;
let crashes = 0;

beforeAll(async () => {
  h = await createRolloutHarness({
    wrap: {
      // The phase's work is done, then the invocation dies before answering (Lambda's
      // ServiceException): Step Functions retries the task.
      'convoy-rollout-deploy-phase': (real) => async (event) => {
        const result = await real(event);
        if (crashes > 0) {
          crashes -= 1;
          throw Object.assign(new Error('the sandbox died'), { name: 'Lambda.ServiceException' });
        }
        return result;
      },
    },
  });
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.reset();
});

describe('a handler crash mid-phase', () => {
  it('is retried and deploys each environment once', async () => {
    crashes = 2;
    const strategy = h.strategy({
      phases: [
        { name: 'dev', environments: ['dev'], bake: 'PT2M' },
        { name: 'prod', environments: ['prod-eu', 'prod-us'], bake: 'PT2M' },
      ],
    });
    const execution = await h.start('ro-crash', strategy);
    await h.finished(execution);
    // Both crashes happened (each retried by the Deploy Phase Retry).
    expect(crashes).toBe(0);
    const state = await h.stateOf('ro-crash');
    expect(state.status).toBe('succeeded');
    expect(state.anomalies).toEqual([]);
    for (const env of ['dev', 'prod-eu', 'prod-us']) {
      const records = await h.api.store.environments.listDeployments(env);
      expect(
        records.filter((r) => r.idempotencyKey?.startsWith('ro-crash:')),
        env,
      ).toHaveLength(1);
    }
  });
});

describe('continue-as-new', () => {
  it('hands a long rollout to fresh executions that carry it to the end, deploying each phase once', async () => {
    const strategy = h.strategy({
      phases: [
        { name: 'dev', environments: ['dev'], bake: 'PT40M' },
        { name: 'staging', environments: ['staging'], bake: 'PT5M' },
      ],
    });
    const first = await h.start('ro-long', strategy, 6);
    const ended = await h.runner.until(first.executionId, (e) => e.status !== 'RUNNING');
    expect(ended.history.at(-1)?.state).toBe('Continued');
    const state = await h.waitFor('ro-long', (s) => s.status === 'succeeded');
    expect(state.continuedAsNew).toBeGreaterThanOrEqual(2);
    const executions = h.runner.list().filter((e) => e.name.startsWith('ro-long'));
    expect(executions.map((e) => e.name)).toEqual([
      'ro-long',
      ...Array.from({ length: executions.length - 1 }, (_, i) => `ro-long--${i + 2}`),
    ]);
    for (const execution of executions) {
      const checks = execution.history.filter((s) => s.state === 'Check Health').length;
      expect(checks).toBeLessThanOrEqual(6);
    }
    const events = await h.api.store.rollouts.events('ro-long');
    expect(events.filter((e) => e.type === 'PhaseDeployed')).toHaveLength(2);
    expect(events.flatMap((e) => (e.type === 'ContinuedAsNew' ? [e.executionName] : []))).toEqual(
      executions.slice(1).map((e) => e.name),
    );
  });

  it('keeps a 14-day rollout with 1-minute checks under the 25,000-event history cap per execution', () => {
    // Step Functions history events per state: Task 5 (entered, scheduled, started, succeeded, exited),
    // Wait, Pass and Choice 2 (entered, exited). One round of the loop:
    const states = JSON.parse(readFileSync(progressiveRolloutFile, 'utf8')) as {
      States: Record<string, { Type: string }>;
    };
    // A reading with alarms goes through Read Health, one without through No Alarm Found: as many states.
    const round = [
      'Wait Interval',
      'Count Check',
      'History Full?',
      'Check Health',
      'Alarms Found?',
      'Read Health',
    ];
    const decided = [...round, 'Decision Due?', 'Decide', 'Action?'];
    const skipped = [...round, 'Decision Due?', 'Skip Check'];
    const events = (names: string[]) =>
      names.reduce((sum, name) => {
        const type = states.States[name]?.Type;
        expect(type, name).toBeDefined();
        return sum + (type === 'Task' ? 5 : 2);
      }, 0);
    expect(events(skipped)).toBeLessThan(events(decided));
    const perCheck = events(decided);
    // A phase's deploy, an approval wait, a continuation and a retry of every task, with room to spare.
    const overhead = 200;
    expect(perCheck * CHECKS_PER_EXECUTION + overhead).toBeLessThan(25_000);
    const checks = 14 * 24 * 60;
    const executions = Math.ceil(checks / CHECKS_PER_EXECUTION);
    expect(executions).toBeGreaterThan(1);
    expect(executions).toBeLessThan(30);
  });
});
