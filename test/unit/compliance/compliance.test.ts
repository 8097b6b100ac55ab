import { describe, expect, it } from 'vitest';
import {
  complianceReport,
  type ComplianceChange,
  type SignoffOverrideUse,
} from '#domain/compliance/compliance.ts';
import { calendarHistory, type CalendarVersion } from '#domain/compliance/calendar-history.ts';
import { approved } from '../overrides/support/override.ts';
import { change, holidays, input } from './support/report-input.ts';

const explained = (c: ComplianceChange): [boolean, string] | undefined => {
  const entry = complianceReport(input([c])).changes[0];
  return entry === undefined ? undefined : [entry.explained, entry.explanation];
};

describe('the freeze compliance report', () => {
  it.each([
    [
      'a change outside every window is not listed',
      change({ at: '2026-12-10T00:00:00Z', namespaces: ['identity'] }),
      undefined,
    ],
    [
      'a change in another environment is not listed',
      change({ environment: 'dev', namespaces: [] }),
      undefined,
    ],
    ['a change outside the period is not listed', change({ at: '2027-01-02T00:00:00Z' }), undefined],
    [
      'a kill switch during the holidays is explained by the allow list',
      change({ kind: 'flag-kill-switch', namespaces: ['identity'] }),
      [true, 'permitted by holidays (flag-kill-switch allowed)'],
    ],
    [
      'a rollback is allowed by default',
      change({ kind: 'rollback', namespaces: ['identity'] }),
      [true, 'permitted by holidays (rollback allowed)'],
    ],
    [
      'a deploy without an override is unexplained',
      change({ namespaces: ['identity'] }),
      [false, 'no override during holidays'],
    ],
    [
      'a deploy with an unknown override is unexplained',
      change({ overrideId: 'ovr-9' }),
      [false, 'override ovr-9 not found during holidays, payments-soft'],
    ],
    [
      'a deploy with a valid override is explained',
      change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3' }),
      [true, 'override ovr-1 approved by peter, rita'],
    ],
    [
      'a deploy after the override expired is unexplained',
      change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3', at: '2026-12-24T13:00:00Z' }),
      [false, 'override ovr-1 expired at 2026-12-24T12:30:00.000Z'],
    ],
    [
      'a deploy of another bundle is unexplained',
      change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@4' }),
      [false, 'override ovr-1 lets checkout-timeouts@3 deploy, not deploy of checkout-timeouts@4'],
    ],
  ])('%s', (_, c, expected) => {
    expect(explained(c)).toEqual(expected);
  });

  it('lists the windows that applied, the override with its approvers, reason, ticket and timing', () => {
    const report = complianceReport(
      input([change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3', deploymentId: 'dep-1' })]),
    );
    expect(report.changes[0]).toMatchObject({
      deploymentId: 'dep-1',
      windows: [
        { id: 'holidays', level: 'hard', permits: false },
        { id: 'payments-soft', level: 'soft', permits: false },
      ],
      override: {
        id: 'ovr-1',
        requester: 'paula',
        approvers: ['peter', 'rita'],
        reason: 'Checkout fails for card payments in the EU',
        ticket: 'INC-4711',
        requestedAt: '2026-12-24T10:00:00.000Z',
        approvedAt: '2026-12-24T10:30:00.000Z',
        expiresAt: '2026-12-24T12:30:00.000Z',
      },
      explained: true,
    });
  });

  it('a single-use override explains its first change only', () => {
    const first = change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3', at: '2026-12-24T11:00:00Z' });
    const second = change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3', at: '2026-12-24T11:30:00Z' });
    const report = complianceReport(input([second, first]));
    expect(report.changes.map((c) => [c.at, c.explained])).toEqual([
      ['2026-12-24T11:00:00Z', true],
      ['2026-12-24T11:30:00Z', false],
    ]);
    expect(report.changes[1]?.explanation).toBe(
      'override ovr-1 is single-use and was already used at 2026-12-24T11:00:00.000Z',
    );
    expect(report.unexplained).toBe(1);
    const reusable = complianceReport(input([first, second], { overrides: [approved({ reusable: true })] }));
    expect(reusable.unexplained).toBe(0);
  });

  it('lists rejected attempts in the period, in time order', () => {
    const rejection = (at: string) => ({
      at,
      environment: 'prod-eu',
      kind: 'deploy' as const,
      principal: 'wendy',
      windows: ['holidays'],
      reason: 'frozen',
    });
    const report = complianceReport(
      input([], {
        rejections: [
          rejection('2026-12-24T00:00:00Z'),
          rejection('2026-12-21T00:00:00Z'),
          rejection('2027-02-01T00:00:00Z'),
        ],
      }),
    );
    expect(report.rejected.map((r) => r.at)).toEqual(['2026-12-21T00:00:00Z', '2026-12-24T00:00:00Z']);
    expect(report.period).toEqual({ from: '2026-12-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
  });

  it('ignores changes at no instant, and reads an open period', () => {
    const report = complianceReport(
      input([change({ at: 'yesterday' }), change({ namespaces: ['identity'] })], { from: '', to: '' }),
    );
    expect(report.changes).toHaveLength(1);
  });
});

describe('the report with an override that was never approved', () => {
  it('names the override without approval times and leaves the change unexplained', () => {
    const pendingOverride = {
      ...approved(),
      status: 'pending' as const,
      approvals: [],
      approvedAt: undefined,
      expiresAt: undefined,
    };
    const report = complianceReport(
      input([change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3' })], {
        overrides: [pendingOverride],
      }),
    );
    expect(report.changes[0]).toMatchObject({
      explained: false,
      explanation: 'override ovr-1 was not approved at that time',
    });
    expect(report.changes[0]?.override).not.toHaveProperty('approvedAt');
    expect(report.changes[0]?.override).not.toHaveProperty('expiresAt');
  });
});

describe('a change is judged by the calendar as it stood when it committed', () => {
  const deploy = change({ at: '2026-12-24T11:00:00Z', namespaces: ['identity'] });
  const judged = (calendar: CalendarVersion[]) =>
    complianceReport(input([deploy], { calendar })).changes.map((c) => [c.explained, c.explanation]);

  it.each([
    ['a window held when the change committed applies', { since: '2026-11-01T00:00:00Z' }, 1],
    ['a window added later does not apply, even one reaching back', { since: '2026-12-24T11:00:01Z' }, 0],
    [
      'a window removed later still applies',
      { since: '2026-11-01T00:00:00Z', until: '2026-12-26T00:00:00Z' },
      1,
    ],
    [
      'a window removed before the change does not apply',
      { since: '2026-11-01T00:00:00Z', until: '2026-12-24T10:59:59Z' },
      0,
    ],
    ['a window added the instant the change committed applies', { since: '2026-12-24T11:00:00Z' }, 1],
  ])('%s', (_, bounds, listed) => {
    expect(judged([{ window: holidays, ...bounds }])).toHaveLength(listed);
  });

  it('a replaced window judges each change by the version in force then', () => {
    const relaxed = { ...holidays, allow: ['deploy' as const] };
    const calendar = calendarHistory([
      { type: 'added', at: '2026-11-01T00:00:00Z', window: holidays },
      { type: 'added', at: '2026-12-24T12:00:00Z', window: relaxed },
    ]);
    const later = change({ at: '2026-12-24T13:00:00Z', namespaces: ['identity'] });
    const report = complianceReport(input([deploy, later], { calendar }));
    expect(report.changes.map((c) => [c.at, c.explained])).toEqual([
      ['2026-12-24T11:00:00Z', false],
      ['2026-12-24T13:00:00Z', true],
    ]);
  });
});

describe('releases deployed on a sign-off override', () => {
  const use = (extra: Partial<SignoffOverrideUse> = {}): SignoffOverrideUse => ({
    at: '2026-12-10T09:00:00Z',
    environment: 'prod-eu',
    release: '2026.12-R1',
    deploymentId: 'dep-9',
    principal: 'olivia',
    deployedBy: 'olivia',
    unsignedTeams: ['search'],
    approved: false,
    reason: 'INC-42: the session fix cannot wait',
    ...extra,
  });

  it.each<[string, SignoffOverrideUse[], string[]]>([
    ['none recorded: none listed', [], []],
    ['one in the period, frozen or not, is listed', [use()], ['2026-12-10T09:00:00Z prod-eu']],
    [
      'before the period or at its (exclusive) end: not listed',
      [use({ at: '2026-11-30T23:59:59Z' }), use({ at: '2027-01-01T00:00:00Z' })],
      [],
    ],
    [
      'several, in time order',
      [
        use({ at: '2026-12-12T00:00:00Z', environment: 'prod-us', deployedBy: 'convoy-rollout' }),
        use({ at: '2026-12-11T00:00:00Z', environment: 'staging' }),
      ],
      ['2026-12-11T00:00:00Z staging', '2026-12-12T00:00:00Z prod-us'],
    ],
  ])('%s', (_case, signoffOverrides, listed) => {
    const report = complianceReport(input([], { signoffOverrides }));
    expect(report.signoffOverrides.map((o) => `${o.at} ${o.environment}`)).toEqual(listed);
    // An override of sign-offs is reported, not judged: it does not make a change unexplained.
    expect(report.unexplained).toBe(0);
  });

  it('keeps who, when, which release, which teams had not signed off and the reason', () => {
    const report = complianceReport(input([], { signoffOverrides: [use()] }));
    expect(report.signoffOverrides).toEqual([use()]);
  });

  it('an input without sign-off overrides reports none', () => {
    expect(complianceReport(input([])).signoffOverrides).toEqual([]);
  });
});
