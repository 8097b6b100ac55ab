import { describe, expect, it } from 'vitest';
import type { InFlightPolicy } from '#domain/freeze/freeze-window.ts';
import { alreadyDeployed, freezeHeld, frozenAtCommit } from '#domain/rollout/deploy-hold.ts';

const window = (id: string, inFlight: InFlightPolicy) => ({
  id,
  name: `${id} freeze`,
  inFlight,
  end: '18:00',
});

describe('the deploy-phase hold policy', () => {
  it.each([
    [['pause'], 'pause'],
    [['finish-phase'], 'finish-phase'],
    [['continue'], 'finish-phase'],
    [['finish-phase', 'pause'], 'pause'],
    [['continue', 'finish-phase'], 'finish-phase'],
  ] as const)('windows whose in-flight policies are %j hold the rollout with %s', (policies, policy) => {
    const windows = policies.map((p, i) => window(`w${i}`, p));
    const reason = `held by ${windows.map((w) => `${w.name} until 18:00`).join(', ')}`;
    expect(freezeHeld({ environment: 'prod', windows })).toEqual([
      { type: 'FreezeApplied', policy, windows: windows.map((w) => w.id) },
      { type: 'Paused', by: 'freeze', reason },
    ]);
  });

  it('a window that refused the commit itself pauses, with the refusal as the reason', () => {
    expect(frozenAtCommit([{ id: 'w1' }], 'prod is frozen')).toEqual([
      { type: 'FreezeApplied', policy: 'pause', windows: ['w1'] },
      { type: 'Paused', by: 'freeze', reason: 'prod is frozen' },
    ]);
  });

  it.each([
    [{ version: 3, snapshot: 's3', deploymentId: 'prod:3' }, 'prod:3'],
    [{ version: 0, snapshot: 's0' }, 'prod:initial'],
  ])(
    'an environment already on the bundle (HEAD %o) counts as deployed by %s, with nothing to undo',
    (head, id) => {
      expect(alreadyDeployed('canary', 'prod', head as never)).toEqual({
        type: 'PhaseDeployed',
        phase: 'canary',
        environment: 'prod',
        deploymentId: id,
        previousSnapshot: head.snapshot,
        snapshot: head.snapshot,
      });
    },
  );
});
