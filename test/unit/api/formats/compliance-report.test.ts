import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvField, formatComplianceReport } from '#api/formats/compliance-report.ts';
import { complianceReport } from '#domain/compliance/compliance.ts';
import { change, input } from '../../compliance/support/report-input.ts';

const golden = (name: string, text: string): void => {
  const url = new URL(`../../../fixtures/compliance/${name}`, import.meta.url);
  // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, text);
  expect(text).toBe(readFileSync(url, 'utf8'));
};

describe('formatting the report', () => {
  const clean = complianceReport(input([change({ kind: 'rollback', namespaces: ['identity'] })]));
  const dirty = complianceReport(
    input(
      [
        change({ namespaces: ['identity'], principal: 'mallory|eve' }),
        change({
          at: '2026-12-24T11:30:00Z',
          overrideId: 'ovr-1',
          bundle: 'checkout-timeouts@3',
          deploymentId: 'dep-2',
        }),
        change({ at: '2026-12-24T12:00:00Z', overrideId: 'ovr-1', bundle: 'checkout-timeouts@3' }),
      ],
      {
        rejections: [
          {
            at: '2026-12-21T00:00:00Z',
            environment: 'prod-eu',
            kind: 'deploy',
            principal: 'wendy',
            windows: ['holidays'],
            reason: 'frozen, "hard"\nsee runbook',
          },
        ],
      },
    ),
  );

  it('markdown shouts when changes are unexplained', () => {
    const md = formatComplianceReport(dirty, 'md');
    expect(md).toContain('**UNEXPLAINED CHANGES: 2**');
    expect(md).not.toContain('No unexplained changes.');
    expect(md).toContain('| 2026-12-24T11:00:00Z | prod-eu | deploy |  | mallory\\|eve | holidays (hard) |');
    expect(md).toContain('**NO: no override during holidays**');
    expect(md).toContain('| ovr-1 | peter, rita | Checkout fails for card payments in the EU | INC-4711 |');
    expect(md).toContain('## Rejected attempts (1)');
    expect(md).toContain('| frozen, "hard" see runbook |');
  });

  it('markdown says so when every change is explained, and when there is nothing to list', () => {
    const md = formatComplianceReport(clean, 'md');
    expect(md).toContain('No unexplained changes.');
    expect(md).not.toContain('UNEXPLAINED');
    expect(md).toContain('yes: permitted by holidays (rollback allowed)');
    const empty = formatComplianceReport(complianceReport(input([])), 'md');
    expect(empty.match(/None\./g)).toHaveLength(3);
  });

  it('json is the report', () => {
    expect(JSON.parse(formatComplianceReport(dirty, 'json'))).toEqual(JSON.parse(JSON.stringify(dirty)));
  });

  it('csv has a header, a row per change and rejection, CRLF line ends and proper quoting', () => {
    const rows = formatComplianceReport(dirty, 'csv').split('\r\n');
    expect(rows[0]).toBe(
      'record,at,environment,kind,bundle,deployment_id,principal,windows,override_id,requester,approvers,reason,ticket,requested_at,approved_at,expires_at,explained,explanation,unsigned_teams,release_approved',
    );
    expect(rows[2]).toBe(
      'change,2026-12-24T11:30:00Z,prod-eu,deploy,checkout-timeouts@3,dep-2,paula,holidays payments-soft,ovr-1,paula,peter rita,Checkout fails for card payments in the EU,INC-4711,2026-12-24T10:00:00.000Z,2026-12-24T10:30:00.000Z,2026-12-24T12:30:00.000Z,yes,"override ovr-1 approved by peter, rita",,',
    );
    expect(formatComplianceReport(dirty, 'csv')).toContain(
      'rejected,2026-12-21T00:00:00Z,prod-eu,deploy,,,wendy,holidays,,,,"frozen, ""hard""\nsee runbook",,,,,,,,\r\n',
    );
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['+1', "'+1"],
    ['@cmd', "'@cmd"],
  ])('csv field %j is written %s', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  describe('with releases deployed on sign-off overrides (golden files)', () => {
    const report = complianceReport(
      input([change({ overrideId: 'ovr-1', bundle: 'checkout-timeouts@3', deploymentId: 'dep-2' })], {
        signoffOverrides: [
          {
            at: '2026-12-10T09:00:00Z',
            environment: 'staging',
            release: '2026.12-R1',
            deploymentId: 'dep-7',
            principal: 'olivia',
            deployedBy: 'convoy-rollout',
            unsignedTeams: ['payments', 'search'],
            approved: false,
            reason: 'INC-42: sessions expire, the fix cannot wait | see runbook',
          },
          {
            at: '2026-12-11T09:00:00Z',
            environment: 'prod-eu',
            release: '2026.12-R2',
            principal: 'olivia',
            deployedBy: 'olivia',
            unsignedTeams: [],
            approved: true,
            reason: 'approved, sign-offs pending a holiday',
          },
        ],
      }),
    );

    it('markdown lists who, when, which release, the teams not signed off and the reason', () => {
      golden('signoff-overrides.md', formatComplianceReport(report, 'md'));
    });

    it('csv has a signoff-override record per release deployed on an override', () => {
      golden('signoff-overrides.csv', formatComplianceReport(report, 'csv'));
    });
  });
});
