import { describe, expect, it } from 'vitest';
import type { AlarmReading } from '#domain/rollout/events.ts';
import { nextStep, type FreezeHold, type SinkReading, type StepAction } from '#domain/rollout/next-step.ts';
import { reduceRollout } from '#domain/rollout/reduce.ts';
import { strategySchema } from '#domain/rollout/strategy.ts';
import { atMinute, deployed, stream, type Draft } from './fixtures.ts';

/** dev (approval) → prod-eu + prod-us, 10-minute bakes, a 5-minute final watch. */
const gated = strategySchema.parse({
  name: 'gated',
  phases: [
    { name: 'first', environments: ['dev'], bake: 'PT10M', approval: true },
    { name: 'second', environments: ['prod-eu', 'prod-us'], bake: 'PT10M' },
  ],
  health: { alarms: ['{env}-5xx'], interval: 'PT1M', unknown: { after: 2, action: 'pause' } },
  finalWatch: 'PT5M',
});

const start: Draft = {
  type: 'RolloutStarted',
  rolloutId: 'ro-1',
  bundle: { name: 'b', version: '1', hash: 'h' },
  strategy: gated,
  environmentsBefore: {},
  by: 'olivia',
};
const firstBaking: Array<[number, Draft]> = [
  [0, start],
  [0, { type: 'PhaseStarted', phase: 'first' }],
  [0, deployed('first', 'dev')],
];
const secondStarted: Array<[number, Draft]> = [
  ...firstBaking,
  [10, { type: 'PhaseBaked', phase: 'first' }],
  [10, { type: 'ApprovalRequested', phase: 'first' }],
  [11, { type: 'ApprovalGranted', phase: 'first', by: 'olivia' }],
  [11, { type: 'PhaseStarted', phase: 'second' }],
];
const secondBaking: Array<[number, Draft]> = [
  ...secondStarted,
  [11, deployed('second', 'prod-eu')],
  [11, deployed('second', 'prod-us')],
];
/** The first phase baked at minute 10 and its gate open since (approvalTimeout: the default PT24H). */
const gateOpen: Array<[number, Draft]> = [
  ...firstBaking,
  [10, { type: 'PhaseBaked', phase: 'first' }],
  [10, { type: 'ApprovalRequested', phase: 'first' }],
];
const DAY = 24 * 60;
const healthyCheck = (phase: string, envs: string[]): Draft => ({
  type: 'HealthChecked',
  phase,
  verdict: 'healthy',
  alarms: envs.map((env) => ({ name: `${env}-5xx`, state: 'OK' as const })),
  consecutiveUnknown: 0,
});

const ok = (...envs: string[]): AlarmReading[] => envs.map((env) => ({ name: `${env}-5xx`, state: 'OK' }));
const hold = (environment: string, inFlight: 'pause' | 'finish-phase' | 'continue'): FreezeHold => ({
  environment,
  windows: [{ id: 'frz-1', name: 'Incident freeze', inFlight, end: '2026-12-01T12:00:00.000Z' }],
});

interface Case {
  name: string;
  events: Array<[number, Draft]>;
  minute: number;
  alarms?: AlarmReading[] | 'unavailable';
  holds?: FreezeHold[];
  sinks?: SinkReading[];
  action: StepAction;
  drafts: string[];
  reason?: RegExp;
}

const cases: Case[] = [
  {
    name: 'a healthy check mid-bake continues and records the first reading',
    events: firstBaking,
    minute: 3,
    alarms: ok('dev'),
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /baking, PT7M left/,
  },
  {
    name: 'an unchanged healthy check writes nothing',
    events: [...firstBaking, [2, healthyCheck('first', ['dev'])]],
    minute: 3,
    alarms: ok('dev'),
    action: 'continue',
    drafts: [],
  },
  {
    name: 'a baked phase with a gate asks for approval',
    events: firstBaking,
    minute: 10,
    alarms: ok('dev'),
    action: 'approval',
    drafts: ['HealthChecked', 'PhaseBaked', 'ApprovalRequested'],
  },
  {
    name: 'a baked phase without a gate advances',
    events: secondBaking,
    minute: 36,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    action: 'advance',
    drafts: ['HealthChecked', 'PhaseBaked'],
  },
  {
    name: 'an operator promotion advances before the bake ends',
    events: [...secondBaking, [12, { type: 'Promoted', by: 'olivia' }]],
    minute: 13,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    action: 'advance',
    drafts: ['HealthChecked', 'PhaseBaked'],
    reason: /promoted/,
  },
  {
    name: 'an alarm rolls back',
    events: firstBaking,
    minute: 3,
    alarms: [{ name: 'dev-5xx', state: 'ALARM' }],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
    reason: /ALARM dev-5xx/,
  },
  {
    name: 'monitoring unavailable twice in a row pauses',
    events: [
      ...firstBaking,
      [1, { type: 'HealthChecked', phase: 'first', verdict: 'unknown', alarms: [], consecutiveUnknown: 1 }],
    ],
    minute: 2,
    alarms: 'unavailable',
    action: 'pause',
    drafts: ['HealthChecked', 'Paused'],
  },
  {
    name: 'an abort requested while baking rolls back at the next check',
    events: [...firstBaking, [2, { type: 'AbortRequested', by: 'olivia', reason: 'no' }]],
    minute: 3,
    alarms: ok('dev'),
    action: 'rollback',
    drafts: [],
  },
  {
    name: 'an operator pause waits for resume',
    events: [...firstBaking, [2, { type: 'Paused', by: 'olivia', reason: 'lunch' }]],
    minute: 3,
    alarms: ok('dev'),
    action: 'pause',
    drafts: [],
    reason: /lunch/,
  },
  {
    name: 'a pause-policy freeze ahead pauses the rollout at once',
    events: firstBaking,
    minute: 3,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'pause')],
    action: 'continue',
    drafts: ['HealthChecked', 'FreezeApplied', 'Paused'],
    reason: /held by Incident freeze/,
  },
  {
    name: 'paused by a freeze, an alarm still rolls back',
    events: [...firstBaking, [2, { type: 'Paused', by: 'freeze', reason: 'held' }]],
    minute: 3,
    alarms: [{ name: 'dev-5xx', state: 'ALARM' }],
    holds: [hold('prod-eu', 'pause')],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
  },
  {
    name: 'paused by a freeze and still held, nothing new',
    events: [
      ...firstBaking,
      [2, healthyCheck('first', ['dev'])],
      [2, { type: 'Paused', by: 'freeze', reason: 'held' }],
    ],
    minute: 20,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'pause')],
    action: 'continue',
    drafts: [],
  },
  {
    name: 'the freeze ended: the rollout resumes by itself',
    events: [...firstBaking, [2, { type: 'Paused', by: 'freeze', reason: 'held' }]],
    minute: 20,
    alarms: ok('dev'),
    action: 'continue',
    drafts: ['HealthChecked', 'Resumed'],
    reason: /no longer holds/,
  },
  {
    name: 'a finish-phase freeze lets the bake go on',
    events: firstBaking,
    minute: 3,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'finish-phase')],
    action: 'continue',
    drafts: ['HealthChecked'],
  },
  {
    name: 'a finish-phase freeze holds the next phase once the bake is done',
    events: firstBaking,
    minute: 10,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'finish-phase')],
    action: 'continue',
    drafts: ['HealthChecked', 'FreezeApplied', 'Paused'],
    reason: /inFlight finish-phase/,
  },
  {
    name: 'held part-way through a phase, the freeze over: deploy the rest',
    events: [...secondStarted, [11, deployed('second', 'prod-eu')]],
    minute: 15,
    alarms: ok('dev', 'prod-eu'),
    action: 'deploy',
    drafts: ['HealthChecked'],
    reason: /deploying the rest of phase second/,
  },
  {
    name: 'held part-way through a phase and still frozen',
    events: [...secondStarted, [11, deployed('second', 'prod-eu')]],
    minute: 15,
    alarms: ok('dev', 'prod-eu'),
    holds: [hold('prod-us', 'finish-phase')],
    action: 'continue',
    drafts: ['HealthChecked', 'FreezeApplied', 'Paused'],
  },
  {
    name: 'held before any deployment: nothing to watch yet',
    events: [
      [0, start],
      [0, { type: 'PhaseStarted', phase: 'first' }],
    ],
    minute: 1,
    alarms: [],
    holds: [hold('dev', 'pause')],
    action: 'continue',
    drafts: ['HealthChecked', 'FreezeApplied', 'Paused'],
    reason: /nothing deployed yet/,
  },
  {
    name: 'the last phase keeps watching through the final watch',
    events: secondBaking,
    minute: 23,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /final watch, PT3M left/,
  },
  {
    name: 'AppConfig rolled back: Convoy rolls back',
    events: secondBaking,
    minute: 13,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    sinks: [{ environment: 'prod-eu', state: 'rolled-back' }],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
    reason: /AppConfig rolled back prod-eu/,
  },
  {
    name: 'AppConfig could not deploy: Convoy rolls back with the reason',
    events: secondBaking,
    minute: 13,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    sinks: [
      { environment: 'prod-us', state: 'failed', message: 'deployment 4 in progress' },
      { environment: 'prod-eu', state: 'failed' },
    ],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
    reason:
      /AppConfig could not deploy prod-us: deployment 4 in progress; AppConfig could not deploy prod-eu$/,
  },
  {
    name: 'the last phase mid-bake is still baking, not in its final watch yet',
    events: secondBaking,
    minute: 15,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /baking, PT11M left/,
  },
  {
    name: 'before any phase started, the workflow deploys the first one',
    events: [[0, start]],
    minute: 0,
    action: 'deploy',
    drafts: [],
    reason: /no phase has started/,
  },
  {
    name: 'an open approval gate keeps watching: a healthy check waits',
    events: gateOpen,
    minute: 12,
    alarms: ok('dev'),
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /all alarms OK; bake complete; waiting for approval of phase first$/,
  },
  {
    name: 'an open gate with an unchanged healthy reading writes nothing',
    events: [...gateOpen, [11, healthyCheck('first', ['dev'])]],
    minute: 12,
    alarms: ok('dev'),
    action: 'continue',
    drafts: [],
  },
  {
    name: 'an alarm while the gate is open rolls back',
    events: [...gateOpen, [11, healthyCheck('first', ['dev'])]],
    minute: 12,
    alarms: [{ name: 'dev-5xx', state: 'ALARM' }],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
    reason: /ALARM dev-5xx/,
  },
  {
    name: 'nobody decided within approvalTimeout: the gate times out and rolls back',
    events: gateOpen,
    minute: 10 + DAY,
    alarms: ok('dev'),
    action: 'rollback',
    drafts: ['HealthChecked', 'ApprovalTimedOut'],
    reason: /approval of phase first timed out/,
  },
  {
    name: 'a check just before the timeout still waits',
    events: gateOpen,
    minute: 9 + DAY,
    alarms: ok('dev'),
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /waiting for approval/,
  },
  {
    name: 'an alarm past the timeout rolls back for the alarm',
    events: gateOpen,
    minute: 10 + DAY,
    alarms: [{ name: 'dev-5xx', state: 'ALARM' }],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
    reason: /ALARM dev-5xx/,
  },
  {
    name: 'monitoring unavailable at the gate, twice in a row: the health policy pauses',
    events: [
      ...gateOpen,
      [11, { type: 'HealthChecked', phase: 'first', verdict: 'unknown', alarms: [], consecutiveUnknown: 1 }],
    ],
    minute: 12,
    alarms: 'unavailable',
    action: 'pause',
    drafts: ['HealthChecked', 'Paused'],
  },
  {
    name: 'a freeze ahead does not hold an open gate',
    events: gateOpen,
    minute: 12,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'pause')],
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /waiting for approval/,
  },
  {
    name: 'approved (before or during the wait): the next healthy check advances',
    events: [...gateOpen, [11, { type: 'ApprovalGranted', phase: 'first', by: 'olivia' }]],
    minute: 12,
    alarms: ok('dev'),
    action: 'advance',
    drafts: ['HealthChecked'],
    reason: /approved$/,
  },
  {
    name: 'approved, then an alarm: rolls back instead of advancing',
    events: [...gateOpen, [11, { type: 'ApprovalGranted', phase: 'first', by: 'olivia' }]],
    minute: 12,
    alarms: [{ name: 'dev-5xx', state: 'ALARM' }],
    action: 'rollback',
    drafts: ['HealthChecked', 'RollbackStarted'],
  },
  {
    name: 'approved, a finish-phase freeze on the next phase holds it',
    events: [...gateOpen, [11, { type: 'ApprovalGranted', phase: 'first', by: 'olivia' }]],
    minute: 12,
    alarms: ok('dev'),
    holds: [hold('prod-eu', 'finish-phase')],
    action: 'continue',
    drafts: ['HealthChecked', 'FreezeApplied', 'Paused'],
  },
  {
    name: 'a promoted phase, approved: advances without baking the rest',
    events: [
      ...firstBaking,
      [2, { type: 'Promoted', by: 'olivia' }],
      [3, { type: 'PhaseBaked', phase: 'first' }],
      [3, { type: 'ApprovalRequested', phase: 'first' }],
      [4, { type: 'ApprovalGranted', phase: 'first', by: 'olivia' }],
    ],
    minute: 5,
    alarms: ok('dev'),
    action: 'advance',
    drafts: ['HealthChecked'],
  },
  {
    name: 'rejected: rolls back at the next check',
    events: [...gateOpen, [11, { type: 'ApprovalRejected', phase: 'first', by: 'olivia', reason: 'no' }]],
    minute: 12,
    alarms: ok('dev'),
    action: 'rollback',
    drafts: [],
    reason: /approval rejected by olivia/,
  },
  {
    name: 'AppConfig still deploying: the bake cannot complete',
    events: secondBaking,
    minute: 40,
    alarms: ok('dev', 'prod-eu', 'prod-us'),
    sinks: [{ environment: 'prod-eu', state: 'deploying' }],
    action: 'continue',
    drafts: ['HealthChecked'],
    reason: /AppConfig deploying/,
  },
];

const reduce = (events: Array<[number, Draft]>) => reduceRollout(stream(events));

describe('nextStep: what the workflow does after a health check', () => {
  it.each(cases)('$name', (c) => {
    const state = reduce(c.events);
    expect(state.anomalies).toEqual([]);
    const step = nextStep({
      state,
      strategy: gated,
      now: Date.parse(atMinute(c.minute)),
      alarms: c.alarms ?? [],
      holds: c.holds ?? [],
      ...(c.sinks ? { sinks: c.sinks } : {}),
      check: 'exec:7',
    });
    expect(step.action).toBe(c.action);
    expect(step.drafts.map((d) => d.type)).toEqual(c.drafts);
    if (c.reason) expect(step.reason).toMatch(c.reason);
    // What the step appends always fits the state.
    const after = reduceRollout(
      step.drafts.map((d, i) => ({ ...d, at: atMinute(c.minute), seq: state.lastSeq + 1 + i })),
      state,
    );
    expect(after.anomalies).toEqual([]);
  });

  it('records the check id and the action on the HealthChecked event', () => {
    const step = nextStep({
      state: reduce(firstBaking),
      strategy: gated,
      now: Date.parse(atMinute(3)),
      alarms: ok('dev'),
      holds: [],
      check: 'exec:7',
    });
    expect(step.drafts[0]).toMatchObject({ type: 'HealthChecked', check: 'exec:7', action: 'continue' });
  });

  it('ignores holds on environments the rollout already deployed', () => {
    const step = nextStep({
      state: reduce(firstBaking),
      strategy: gated,
      now: Date.parse(atMinute(3)),
      alarms: ok('dev'),
      holds: [hold('dev', 'pause')],
    });
    expect(step.drafts.map((d) => d.type)).toEqual(['HealthChecked']);
  });
});
