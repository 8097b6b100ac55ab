import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINCIPAL_HEADER } from '#api/client.ts';
import {
  backgroundOf,
  openView,
  screenshot,
  seriousViolations,
  startDashboard,
  type Dashboard,
} from './support/dashboard.ts';

/**
 * The freeze calendar on the demo: seeded on Monday 23 Nov 2026 10:00 UTC (the test API's clock), then
 * the clock is pinned to Saturday 28 Nov 10:00 UTC, inside the demo's weekend freeze (soft, prod-*,
 * Friday 18:00 → Monday 06:00 Berlin). The page reads "now" from the API (GET /health), never from
 * the browser, so nothing here depends on today's date. The browser's zone is UTC.
 */
const SATURDAY = '2026-11-28T10:00:00Z';

let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = await startDashboard('olivia');
  dashboard.api.clock.now = new Date(SATURDAY);
  // Load the handler modules this view reads, as `convoy up` loads every route group at start.
  const warm = [
    '/health',
    '/freezes/occurrences?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
    '/overrides?status=pending',
    '/reports/freeze-compliance?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
  ];
  await Promise.all(
    warm.map((path) =>
      fetch(`${dashboard.server.url}${path}`, { headers: { [PRINCIPAL_HEADER]: 'vera' } }).then((r) =>
        r.text(),
      ),
    ),
  );
});
afterAll(async () => {
  await dashboard.close();
});

const headOf = async (env: string): Promise<number> => {
  const { json } = await dashboard.api.call('GET', '/environments', { as: 'vera' });
  return (json.environments as { name: string; head: { version: number } }[]).find((e) => e.name === env)
    ?.head.version as number;
};

describe('dashboard: freeze calendar', () => {
  it('shows the demo windows in month and week views, levels in colour and words, zones on hover, the now line', async () => {
    const { page } = dashboard;
    const paint = await openView(dashboard, '#/calendar', 'calendar');
    const period = page.locator('h3.period');
    expect(await period.innerText()).toBe('November 2026');
    const day = (date: string) => page.locator(`table.month td[data-date="${date}"]`);
    // Weekend freeze: Friday 18:00 in Berlin is 17:00 in the browser's zone (UTC); it goes on over the weekend.
    expect(await day('2026-11-27').locator('.occ').allInnerTexts()).toEqual(['17:00 Weekend freeze soft']);
    expect(await day('2026-11-28').locator('.occ').allInnerTexts()).toEqual(['… Weekend freeze soft']);
    expect(await day('2026-11-26').locator('.occ').count()).toBe(0);
    expect(await day('2026-11-28').getAttribute('aria-current')).toBe('date');
    expect(await day('2026-11-28').locator('.day-number').innerText()).toBe('28 today');
    expect(await page.locator('.legend').innerText()).toMatch(/hard: only an emergency override passes/);
    expect(await backgroundOf(page, '.occ.soft')).toBe('rgb(254, 243, 199)');

    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.poll(() => period.innerText()).toBe('December 2026');
    await day('2026-12-18').locator('.occ.hard').waitFor();
    // Same start: ordered by window id.
    expect(await day('2026-12-18').locator('.occ').allInnerTexts()).toEqual([
      '17:00 Weekend freeze soft',
      '17:00 Year-end freeze hard',
    ]);
    expect(await day('2026-12-25').locator('.occ').allInnerTexts()).toEqual([
      '… Year-end freeze hard',
      '17:00 Weekend freeze soft',
    ]);
    expect(await backgroundOf(page, '.occ.hard')).toBe('rgb(254, 226, 226)');
    // Hover (or focus): the window's own zone and times, then the viewer's.
    const yearEnd = day('2026-12-18').locator('.occ.hard');
    await yearEnd.hover();
    const detail = page.locator('.occ-detail');
    expect(await detail.innerText()).toBe(
      [
        'Year-end freeze (hard freeze)',
        'In its zone, Europe/Berlin: Fri 18 Dec 2026 18:00 → Mon 4 Jan 2027 08:00',
        'In UTC: Fri 18 Dec 2026 17:00 → Mon 4 Jan 2027 07:00',
        'Scope: environments prod-*',
        'Still allowed: rollback, flag-kill-switch',
      ].join('\n'),
    );
    expect(await yearEnd.getAttribute('title')).toBe(await detail.innerText());
    await day('2026-12-04').locator('.occ.soft').focus();
    expect(await detail.innerText()).toMatch(
      /^Weekend freeze \(soft freeze, recurring\)\nIn its zone, Europe\/Berlin: Fri 4 Dec 2026 18:00 → Mon 7 Dec 2026 06:00\n/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'calendar');

    // Another zone: the same windows at Berlin's times.
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await expect
      .poll(() => day('2026-12-18').locator('.occ.hard').innerText())
      .toBe('18:00 Year-end freeze hard');
    await page.getByLabel('Time zone').selectOption('UTC');

    // The week of now: the now line on Saturday at Convoy's 10:00, the weekend freeze around it.
    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await expect.poll(() => period.innerText()).toBe('Week of Mon 23 Nov 2026 – Sun 29 Nov 2026');
    const saturday = page.locator('.week-col[data-date="2026-11-28"]');
    expect(await saturday.locator('.now-line').innerText()).toBe('now 10:00');
    expect(await page.locator('.now-line').count()).toBe(1);
    expect(await saturday.locator('.occ').allInnerTexts()).toEqual(['… Weekend freeze soft']);
    expect(await page.locator('.week-col[data-date="2026-11-27"] .occ').allInnerTexts()).toEqual([
      '17:00 Weekend freeze soft',
    ]);
    expect(paint).toBeGreaterThan(0);
  });

  it('approves an override from the calendar, the frozen deploy goes through, and the compliance report lists it', async () => {
    const { page, api } = dashboard;
    const deploy = { bundle: 'checkout-timeouts@3' };
    const refused = await api.call('POST', '/environments/prod-eu/deployments', {
      as: 'olivia',
      body: deploy,
    });
    expect([refused.status, refused.json.code], refused.text).toEqual([423, 'frozen']);
    const before = await headOf('prod-eu');
    const requested = await api.call('POST', '/overrides', {
      as: 'olivia',
      body: {
        environment: 'prod-eu',
        bundle: 'checkout-timeouts@3',
        reason: 'EU card payments time out at checkout',
        ticket: 'INC-7',
      },
    });
    expect(requested.status, requested.text).toBe(201);
    const id = requested.json.id as string;

    // Load the page again (the same hash would not navigate): the pending request is on it at once.
    await page.reload();
    await page.locator('[data-view="calendar"][data-ready]').waitFor();
    const row = page.locator(`table.overrides tr[data-override="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(
      new RegExp(
        `^${id}\\s+prod-eu\\s+checkout-timeouts@3\\s+soft\\s+by olivia · 28 Nov 2026, 10:00; .*EU card payments time out at checkout \\(INC-7\\)\\s+0 of 1`,
        's',
      ),
    );
    // The requester may not decide: no buttons, and why.
    expect(await row.locator('td').last().innerText()).toBe('You requested it: another approver decides.');
    // An approver the request is routed to (team:payments), picked in "Acting as".
    await page.getByLabel('Acting as').selectOption('priya');
    const reject = row.getByRole('button', { name: 'Reject', exact: true });
    await reject.waitFor();
    // A refusal shows the problem's detail: a rejection needs a reason.
    await reject.click();
    const problem = row.locator('.problem');
    await problem.waitFor();
    const refusal = await problem.innerText();
    expect(refusal).toMatch(/^Rejecting ovr-[0-9a-f]+ failed: Validation failed \(422 validation-failed\)\n/);
    expect(refusal).toContain('body.reason say why the request is rejected');
    expect(refusal).toMatch(/What to do: Fix the problems listed and retry\.$/);
    expect((await api.call('GET', `/overrides/${id}`, { as: 'vera' })).json.status).toBe('pending');

    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    const done = page.locator('p.done');
    await done.waitFor();
    expect(await done.innerText()).toBe(
      `${id} approved by priya: now approved, usable until 28 Nov 2026, 12:00.`,
    );
    await page.getByText('No override is waiting for a decision.').waitFor();

    const shipped = await api.call('POST', '/environments/prod-eu/deployments', {
      as: 'olivia',
      body: { ...deploy, override: id },
    });
    expect(shipped.status, shipped.text).toBe(201);
    expect(await headOf('prod-eu')).toBe(before + 1);

    await page.getByLabel('From').fill('2026-11-27');
    await page.getByLabel('To (inclusive)').fill('2026-11-28');
    await page.getByRole('button', { name: 'Show report', exact: true }).click();
    const used = page.locator(`table.compliance tr[data-override="${id}"]`);
    await used.waitFor();
    expect(await used.innerText()).toMatch(
      new RegExp(
        `prod-eu\\s+deploy checkout-timeouts@3\\s+olivia\\s+Weekend freeze \\(soft\\)\\s+${id}: requested by olivia, approved by priya; INC-7\\s+explained`,
      ),
    );
    expect(await page.locator('p.count').innerText()).toMatch(
      /^1 change while a freeze applied, 0 unexplained; 1 refused attempt \(27 Nov 2026, 00:00 to 29 Nov 2026, 00:00\)\.$/,
    );
    expect(await page.locator('table.compliance-rejected tbody tr').innerText()).toMatch(
      /prod-eu\s+deploy\s+olivia\s+weekend-freeze/,
    );
  });
});
