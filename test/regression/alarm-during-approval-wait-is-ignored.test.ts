import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRolloutHarness, type RolloutHarness } from '../integration/rollout/harness.ts';

/**
 * Issue 10, item 9: while a phase waited at its approval gate (one `.waitForTaskToken` task), nobody
 * checked health: an alarm raised during the wait was ignored, and after the approval the next wave
 * (prod-us) deployed before the rollback. The gate now keeps the wait → check health → decide loop.
 */
let h: RolloutHarness;
beforeAll(async () => {
  h = await createRolloutHarness();
  await h.reset();
});
afterAll(async () => {
  await h.close();
});

it('an alarm during the approval wait rolls back at once, newest phase first; prod-us is never deployed', async () => {
  const baseline = await h.heads();
  const strategy = h.strategy({
    phases: [
      { name: 'canary', environments: ['dev', 'staging'], bake: 'PT5M' },
      { name: 'prod-eu', environments: ['prod-eu'], bake: 'PT5M', approval: true },
      { name: 'prod-us', environments: ['prod-us'], bake: 'PT5M' },
    ],
  });
  const execution = await h.start('ro-regression-gate', strategy);
  await h.waitFor('ro-regression-gate', (s) => s.status === 'awaiting-approval');
  h.alarms.set('staging-5xx-rate', 'ALARM');
  const state = await h.waitFor('ro-regression-gate', (s) => s.status === 'rolled-back');
  expect(state.reason).toMatch(/ALARM staging-5xx-rate/);
  // The approver comes too late: the gate closed with the rollback.
  await expect(h.act('ro-regression-gate', 'approve')).rejects.toThrow(/awaiting approval/);
  await h.finished(execution);
  const events = await h.api.store.rollouts.events('ro-regression-gate');
  expect(events.flatMap((e) => (e.type === 'PhaseRolledBack' ? [e.environment] : []))).toEqual([
    'prod-eu',
    'staging',
    'dev',
  ]);
  expect(events.some((e) => e.type === 'PhaseDeployed' && e.environment === 'prod-us')).toBe(false);
  expect(events.some((e) => e.type === 'ApprovalGranted')).toBe(false);
  expect(await h.heads()).toEqual(baseline);
});
