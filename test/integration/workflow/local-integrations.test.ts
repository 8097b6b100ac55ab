import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '#local/event-bus.ts';
import type { ConvoyEventDetail } from '#local/local-event-publisher.ts';
import { LocalEventPublisher } from '#local/local-event-publisher.ts';
import { startLocalIntegrations, type LocalIntegrations } from '#local/local-integrations.ts';
import { LocalWorkflowEngine } from '#local/local-workflow-engine.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { createWorkflowHarness, type WorkflowHarness } from './support.ts';
import { createRollout } from '../../fixtures/rollouts.ts';

/**
 * `convoy up` after a restart: the embedded runtime's adapters are wired into the handlers' deps, the
 * freeze schedules are re-armed, and every open override gets its approval workflow back.
 */
let h: WorkflowHarness;
let dataDir: string;
let local: LocalIntegrations | undefined;

beforeAll(async () => {
  h = await createWorkflowHarness(1000);
  dataDir = mkdtempSync(join(tmpdir(), 'convoy-local-'));
});
afterAll(async () => {
  await local?.stop();
  await h.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** As the embedded root does: the handlers' deps get the adapters these integrations hold. */
const wired = (started: LocalIntegrations): LocalIntegrations => {
  const { events, workflows, schedules } = started;
  Object.assign(h.api.deps, { events, workflows, schedules });
  return started;
};

const requestOverride = async (): Promise<string> => {
  const created = await h.overrides('POST', '/overrides', 'priya', {
    environment: 'prod-eu',
    bundle: 'checkout-timeouts@3',
    reason: 'Checkout timeouts break the payment provider migration',
    ticket: 'INC-4711',
    requestedDuration: 'PT1M',
  });
  expect(created.status).toBe(201);
  return created.json.id as string;
};

describe('local integrations', () => {
  it('resumes the workflow of every open override after a restart, and re-arms the freeze schedules', async () => {
    const pending = await requestOverride();
    const approved = await requestOverride();
    const first = h.runner.list().find((e) => e.name === approved);
    await h.runner.until(first!.executionId, (e) => e.waitingFor.length === 1);
    await h.overrides('POST', `/overrides/${approved}/approve`, 'olivia');
    await h.overrides('POST', `/overrides/${approved}/approve`, 'paolo');
    // "Convoy stops" before either workflow ends.
    await h.runner.stop();

    const activations: Record<string, unknown>[] = [];
    const delivered: BusEvent<ConvoyEventDetail>[] = [];
    const warnings: string[] = [];
    local = wired(
      startLocalIntegrations({
        dataDir,
        deps: () => h.api.deps,
        timeScale: 1_000_000,
        onEvent: (event) => delivered.push(event),
        warn: (line) => warnings.push(line),
        freezeActivation: (payload) => {
          activations.push(payload);
          return Promise.resolve({});
        },
      }),
    );
    // The handlers now publish and start workflows through the local adapters.
    expect(h.api.deps.events).toBeInstanceOf(LocalEventPublisher);
    expect(h.api.deps.workflows).toBeInstanceOf(LocalWorkflowEngine);

    await local.recover();
    expect(activations).toEqual([{ reason: 'rearm' }]);
    const resumed = local.runner.list().map((e) => e.name);
    expect(resumed.sort()).toEqual([approved, pending].sort());
    for (const execution of local.runner.list()) {
      await local.runner.until(execution.executionId, (e) => e.status !== 'RUNNING');
    }
    expect((await h.api.store.overrides.get(pending))?.override.status).toBe('expired');
    expect((await h.api.store.overrides.get(approved))?.override.status).toBe('expired');
    const approval = local.runner.list().find((e) => e.name === approved)!;
    expect(approval.history.map((s) => s.state)).toContain('Wait Until Expiry');
    expect(warnings).toEqual([]);

    // Notifications reached the listener and the events file.
    // Resumed executions do not announce the requests again.
    expect(delivered.map((e) => e.detailType).sort()).toEqual([
      'OverrideApproved',
      'OverrideExpired',
      'OverrideExpired',
    ]);
    expect(approval.history.map((s) => s.state).slice(0, 2)).toEqual(['Resumed?', 'Await Decision']);
    const lines = readFileSync(local.eventsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BusEvent<ConvoyEventDetail>);
    expect(lines.map((e) => e.detailType)).toEqual(delivered.map((e) => e.detailType));
    expect(lines[0]).toMatchObject({ source: 'convoy.override', time: expect.any(String) });
  });

  it('tells a rollout that had not ended that its execution is gone: it pauses per its strategy', async () => {
    const { store } = h.api.deps;
    await createRollout(store.rollouts, {
      type: 'RolloutStarted',
      seq: 0,
      at: h.api.clock.now.toISOString(),
      rolloutId: 'ro-restarted',
      bundle: { name: 'checkout-timeouts', version: '3', hash: 'h' },
      strategy: strategySchema.parse({
        name: 'one',
        phases: [{ name: 'dev', environments: ['dev'], bake: 'PT5M' }],
        health: { alarms: ['{env}-5xx-rate'] },
      }),
      environmentsBefore: {},
      by: 'olivia',
    });
    const warnings: string[] = [];
    const restarted = wired(
      startLocalIntegrations({
        dataDir,
        deps: () => h.api.deps,
        warn: (line) => warnings.push(line),
        freezeActivation: () => Promise.resolve({}),
      }),
    );
    try {
      await restarted.recover();
      await restarted.recover();
    } finally {
      await restarted.stop();
    }
    expect(warnings).toEqual([]);
    const events = await store.rollouts.events('ro-restarted');
    expect(events.map((e) => e.type)).toEqual(['RolloutStarted', 'ExecutionEnded', 'Paused']);
    expect(reduceRollout(events)).toMatchObject({
      status: 'paused',
      workflowEnded: {
        executionName: 'ro-restarted',
        status: 'ABORTED',
        reason: 'workflow execution ro-restarted ended ABORTED (Convoy stopped while the rollout ran.)',
      },
    });
  });

  it('reports what it cannot recover instead of failing the start', async () => {
    const warnings: string[] = [];
    const broken = wired(
      startLocalIntegrations({
        dataDir,
        deps: () => h.api.deps,
        warn: (line) => warnings.push(line),
        freezeActivation: () => Promise.reject(new Error('no calendar')),
      }),
    );
    const { store } = h.api.deps;
    const list = store.overrides.list.bind(store.overrides);
    store.overrides.list = () => Promise.reject(new Error('table unavailable'));
    try {
      await broken.recover();
    } finally {
      store.overrides.list = list;
      await broken.stop();
    }
    expect(warnings).toEqual([
      're-arming the freeze schedules failed: no calendar',
      'resuming the override workflows failed: table unavailable',
    ]);
  });
});
