import { describe, expect, it } from 'vitest';
import { pushedOf } from '#domain/releases/release-bundles.ts';
import { coverOf, signoffScope, signoffStatus, signoffValid } from '#domain/releases/signoff.ts';
import type { Approval, CoveredBundle, Signoff } from '#domain/releases/signoff.ts';
import {
  checkoutTimeouts,
  identitySession,
  RELEASE,
  releaseBundles,
  releasePlan,
} from '../../fixtures/releases/three-teams.ts';

const current = (): CoveredBundle[] => releaseBundles().map((s) => coverOf(pushedOf(s)));
const plan = releasePlan();
const signoff = (team: string, covers: CoveredBundle[], at = '2026-12-10T10:00:00Z'): Signoff => ({
  release: RELEASE,
  team,
  principal: 'someone',
  at,
  covers,
});
const approval = (covers: CoveredBundle[], at = '2026-12-10T12:00:00Z'): Approval => ({
  release: RELEASE,
  principal: 'olivia',
  at,
  covers,
});
const scope = (team: string, bundles = current()) => signoffScope(plan, team, bundles);
/** The release after identity pushed identity-session@3. */
const changed = (): CoveredBundle[] => [
  coverOf(pushedOf(identitySession({ version: '3' }))),
  ...current().slice(1),
];

describe('signoffValid', () => {
  it.each<[string, CoveredBundle[], CoveredBundle[], string[]]>([
    ['nothing changed', current(), current(), []],
    [
      'a bundle changed (another version)',
      current(),
      changed(),
      ['identity-session@2 became identity-session@3'],
    ],
    [
      'a bundle changed in place (same version, other hash)',
      current(),
      [coverOf({ ...pushedOf(identitySession()), hash: 'edited' }), ...current().slice(1)],
      ['identity-session@2 became identity-session@2'],
    ],
    ['a bundle was added', current().slice(0, 2), current(), ['search-ranking@1 was added']],
    ['a bundle was removed', current(), current().slice(1), ['identity-session@2 was removed']],
  ])('%s', (_, covers, now, expected) => {
    expect(signoffValid({ covers }, now)).toEqual({ valid: expected.length === 0, changed: expected });
  });
});

describe('signoffScope', () => {
  it('is what the plan names for the team, else the whole release', () => {
    expect(scope('search').map((b) => b.name)).toEqual(['checkout-timeouts', 'search-ranking']);
    const open = releasePlan({ signoffs: [{ team: 'search' }] });
    expect(signoffScope(open, 'search', current())).toHaveLength(3);
    expect(signoffScope(plan, 'unknown', current())).toHaveLength(3);
  });
});

describe('signoffStatus', () => {
  const everyone = (): Signoff[] => ['identity', 'payments', 'search'].map((t) => signoff(t, scope(t)));

  it('is complete when every team signed and a release manager approved', () => {
    const status = signoffStatus(plan, current(), everyone(), [approval(current())]);
    expect(status.complete).toBe(true);
    expect(status.teams.map((t) => t.state)).toEqual(['signed', 'signed', 'signed']);
    expect(status.approval.state).toBe('signed');
  });

  it('changing a bundle invalidates exactly the sign-offs that covered it, and the approval', () => {
    const status = signoffStatus(plan, changed(), everyone(), [approval(current())]);
    expect(status.complete).toBe(false);
    expect(status.teams.map((t) => [t.team, t.state])).toEqual([
      ['identity', 'stale'],
      ['payments', 'stale'],
      ['search', 'signed'],
    ]);
    expect(status.teams[0]?.changed).toEqual(['identity-session@2 became identity-session@3']);
    expect(status.approval).toMatchObject({
      state: 'stale',
      changed: ['identity-session@2 became identity-session@3'],
    });
  });

  it('a newer sign-off over the changed bundles counts again; the latest valid one is shown', () => {
    const again = signoff('identity', scope('identity', changed()), '2026-12-11T09:00:00Z');
    const status = signoffStatus(plan, changed(), [...everyone(), again], []);
    expect(status.teams[0]).toMatchObject({ state: 'signed', signoff: again });
    expect(status.approval).toEqual({ state: 'missing' });
  });

  it('an older valid sign-off still counts after a later stale one', () => {
    const older = signoff('identity', scope('identity'), '2026-12-01T00:00:00Z');
    const newerStale = signoff('identity', [coverOf(pushedOf(checkoutTimeouts()))], '2026-12-02T00:00:00Z');
    const status = signoffStatus(plan, current(), [newerStale, older], []);
    expect(status.teams[0]).toMatchObject({ state: 'signed', signoff: older });
  });

  it('of several stale sign-offs, the latest is shown', () => {
    const older = signoff('identity', [], '2026-12-01T00:00:00Z');
    const newer = signoff('identity', [], '2026-12-02T00:00:00Z');
    const status = signoffStatus(plan, current(), [newer, older], []);
    expect(status.teams[0]).toMatchObject({
      state: 'stale',
      signoff: newer,
      changed: ['identity-session@2 was added'],
    });
  });

  it('a team without a sign-off is missing', () => {
    const status = signoffStatus(plan, current(), [], [approval(current())]);
    expect(status.teams.map((t) => t.state)).toEqual(['missing', 'missing', 'missing']);
    expect(status.teams[0]).toEqual({ team: 'identity', state: 'missing' });
    expect(status.complete).toBe(false);
  });
});
