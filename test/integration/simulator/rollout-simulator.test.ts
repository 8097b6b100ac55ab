import { describe, expect, it } from 'vitest';
import { exposureOf, lines, simulate, standard, ungated } from './support.ts';

/**
 * The simulator runs the real progressive-rollout ASL and its real handlers on a virtual clock, on a
 * scratch table in the run's DynamoDB Local; the scenario scripts the world. Offsets are exact: the
 * clock only moves when the workflow waits.
 */
const DEPLOYED = ['PhaseDeployed'];
const ROLLBACK = ['RollbackStarted', 'PhaseRolledBack', 'RolledBack'];

describe('rollout simulator', () => {
  it('runs a healthy 4-phase rollout to success: every environment exposed to the end', async () => {
    const run = await simulate({ strategy: ungated() });
    expect(run.outcome).toBe('succeeded');
    expect(lines(run.timeline, DEPLOYED)).toEqual([
      '+00:00:00 PhaseDeployed dev dev',
      '+00:05:00 PhaseDeployed staging staging',
      '+00:20:00 PhaseDeployed prod-canary prod-eu',
      '+00:50:00 PhaseDeployed prod prod-us',
    ]);
    expect(lines(run.timeline, ['Succeeded'])).toEqual(['+01:50:00 Succeeded prod -']);
    expect(exposureOf(run)).toEqual([
      'dev +00:00:00→+01:50:00',
      'staging +00:05:00→+01:50:00',
      'prod-eu +00:20:00→+01:50:00',
      'prod-us +00:50:00→+01:50:00',
    ]);
    expect(run.notes).toEqual([]);
    expect(run.anomalies).toEqual([]);
    // One check per minute of every bake: 5 + 15 + 30 + 60.
    expect(run.wall.checks).toBe(110);
    expect(run.wall.handlerMs).toBeGreaterThan(0);
    expect(run.wall.storeRequests).toBeGreaterThan(run.wall.checks);
  });

  it('rolls back every deployed phase when prod-eu alarms at PT50M; exposure ends at the rollback', async () => {
    const run = await simulate({
      scenario: {
        alarms: [{ alarm: 'prod-eu-5xx-rate', state: 'ALARM', from: 'PT50M', to: 'PT1H10M' }],
        approvals: [{ phase: 'staging', at: 'PT25M', decision: 'approve', by: 'olivia' }],
      },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(run.reason).toContain('ALARM prod-eu-5xx-rate');
    expect(lines(run.timeline, ROLLBACK)).toEqual([
      '+00:50:00 RollbackStarted prod-canary -',
      '+00:50:00 PhaseRolledBack prod-canary prod-eu',
      '+00:50:00 PhaseRolledBack staging staging',
      '+00:50:00 PhaseRolledBack dev dev',
      '+00:50:00 RolledBack prod-canary -',
    ]);
    expect(exposureOf(run)).toEqual([
      'dev +00:00:00→+00:50:00 rolled back',
      'staging +00:05:00→+00:50:00 rolled back',
      'prod-eu +00:25:00→+00:50:00 rolled back',
    ]);
    // The check that saw the alarm says so, and what it led to.
    expect(run.timeline.find((e) => e.event === 'HealthChecked' && e.offset === '+00:50:00')?.detail).toBe(
      'ALARM prod-eu-5xx-rate → rollback',
    );
  });

  it.each([
    ['pause', 'paused', 'Paused'],
    ['rollback', 'rolled-back', 'RollbackStarted'],
  ] as const)(
    'handles a monitoring outage per policy (%s after 3 unknown checks)',
    async (action, outcome, event) => {
      const run = await simulate({
        strategy: ungated({
          health: { alarms: ['{env}-5xx-rate'], interval: 'PT1M', unknown: { after: 3, action } },
        }),
        scenario: { monitoring: [{ unavailable: true, from: 'PT2M', to: 'PT30M' }] },
      });
      expect(run.outcome).toBe(outcome);
      expect(lines(run.timeline, [event])).toEqual([`+00:04:00 ${event} dev -`]);
      // Never advanced: dev never baked and staging was never deployed.
      expect(lines(run.timeline, ['PhaseBaked', ...DEPLOYED])).toEqual(['+00:00:00 PhaseDeployed dev dev']);
      if (action === 'pause')
        expect(run.notes).toEqual([
          'The simulation ended at +00:04:00 with the rollout paused: nothing scripted changes that (an operator would have to act).',
        ]);
    },
  );

  it.each([
    {
      name: 'approved at PT25M, after the gate opened',
      approval: { at: 'PT25M', decision: 'approve', by: 'olivia', reason: 'staging looks good' },
      applied: '+00:25:00 ApprovalGranted',
      outcome: 'succeeded',
    },
    {
      name: 'approved at PT10M: applied when the gate opens',
      approval: { at: 'PT10M', decision: 'approve', by: 'olivia' },
      applied: '+00:20:00 ApprovalGranted',
      outcome: 'succeeded',
    },
    {
      // A rejection is an operator's stop: rolled back, and the rollout ends aborted.
      name: 'rejected at PT30M',
      approval: { at: 'PT30M', decision: 'reject', by: 'olivia' },
      applied: '+00:30:00 ApprovalRejected',
      outcome: 'aborted',
    },
  ])('applies a scripted approval: $name', async ({ approval, applied, outcome }) => {
    const run = await simulate({ scenario: { approvals: [{ phase: 'staging', ...approval }] } });
    expect(lines(run.timeline, ['ApprovalRequested', 'ApprovalGranted', 'ApprovalRejected'])).toEqual([
      '+00:20:00 ApprovalRequested staging -',
      `${applied} staging -`,
    ]);
    expect(run.outcome).toBe(outcome);
    expect(run.notes).toEqual([]);
  });

  it('lets the gate time out when no one may approve, and says why the approval did not count', async () => {
    const run = await simulate({
      strategy: standard({ approvalTimeout: 'PT2H' }),
      scenario: { approvals: [{ phase: 'staging', at: 'PT25M', decision: 'approve', by: 'priya' }] },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(lines(run.timeline, ['ApprovalTimedOut', 'RolledBack'])).toEqual([
      '+02:20:00 ApprovalTimedOut staging -',
      '+02:20:00 RolledBack staging -',
    ]);
    expect(run.notes).toEqual([
      expect.stringMatching(/^approvals\[0\] \(approve staging by priya at \+00:25:00\) was refused: /),
    ]);
  });

  it('notes an approval for a gate the rollout never reaches', async () => {
    const run = await simulate({
      scenario: {
        alarms: [{ alarm: 'dev-5xx-rate', state: 'ALARM', from: 'PT2M' }],
        approvals: [{ phase: 'staging', at: 'PT25M', decision: 'approve', by: 'olivia' }],
      },
    });
    expect(run.outcome).toBe('rolled-back');
    expect(run.notes).toEqual([
      'approvals[0] (approve staging by olivia at +00:25:00) was never asked for: the rollout is rolled-back at phase dev.',
    ]);
  });

  it.each([
    ['pause', '+00:10:00', '+02:00:00'],
    // The phase in flight when the window began (staging) finishes its bake first.
    ['finish-phase', '+00:20:00', '+02:00:00'],
  ])(
    'holds the next phases while a freeze with inFlight %s applies, then goes on',
    async (inFlight, held, resumed) => {
      const run = await simulate({
        strategy: ungated(),
        scenario: {
          freezes: [
            { environments: ['staging', 'prod-*'], from: 'PT10M', to: 'PT2H', level: 'hard', inFlight },
          ],
        },
      });
      expect(run.outcome).toBe('succeeded');
      expect(
        lines(run.timeline, ['FreezeApplied', 'Paused', 'Resumed']).map((l) =>
          l.split(' ').slice(0, 2).join(' '),
        ),
      ).toEqual([`${held} FreezeApplied`, `${held} Paused`, `${resumed} Resumed`]);
      // Nothing new was deployed while the window held.
      const deployed = run.exposure.map((e) => e.fromOffset);
      expect(deployed.filter((offset) => offset >= held && offset < resumed)).toEqual([]);
    },
  );

  it('lets a rollout in flight continue through a freeze whose inFlight is continue', async () => {
    const run = await simulate({
      strategy: ungated(),
      scenario: {
        freezes: [
          { environments: ['prod-*'], from: 'PT10M', to: 'PT2H', level: 'hard', inFlight: 'continue' },
        ],
      },
    });
    expect(run.outcome).toBe('succeeded');
    expect(lines(run.timeline, ['FreezeApplied', 'Paused'])).toEqual([]);
    expect(lines(run.timeline, ['Succeeded'])).toEqual(['+01:50:00 Succeeded prod -']);
  });

  it('stops at the 90-day cap and reports the rollout as it stands', async () => {
    // Checks every 5 minutes (every bake's length allows it): the open gate keeps watching for 90 days.
    const run = await simulate({
      strategy: standard({
        approvalTimeout: 'P100D',
        health: { alarms: ['{env}-5xx-rate'], interval: 'PT5M' },
      }),
    });
    expect(run.outcome).toBe('awaiting-approval');
    expect(run.notes).toEqual([
      'The simulation stopped at its 90-day cap with the rollout awaiting-approval.',
    ]);
  });

  it('refuses to start when the first phase is frozen at the start (by a freeze without an end)', async () => {
    await expect(
      simulate({ scenario: { freezes: [{ environments: ['dev'], from: 'PT0S', level: 'hard' }] } }),
    ).rejects.toMatchObject({ code: 'frozen' });
  });

  it('notes an approval whose gate had not opened when the rollout stopped', async () => {
    const run = await simulate({
      scenario: {
        monitoring: [{ from: 'PT2M' }],
        approvals: [{ phase: 'staging', at: 'PT1M', decision: 'approve', by: 'olivia' }],
      },
    });
    expect(run.outcome).toBe('paused');
    expect(run.notes).toEqual([
      'approvals[0] (approve staging by olivia at +00:01:00) was never asked for: its gate never opened.',
      expect.stringMatching(/^The simulation ended at \+00:04:00 with the rollout paused/),
    ]);
  });
});
