import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backgroundOf,
  openView,
  screenshot,
  seriousViolations,
  startDashboard,
  type Dashboard,
} from './support/dashboard.ts';

let dashboard: Dashboard;
beforeAll(async () => {
  dashboard = await startDashboard('olivia');
});
afterAll(async () => {
  await dashboard.close();
});

const ofrep = async (env: string, key: string) => {
  const answer = await dashboard.api.call('POST', `/environments/${env}/ofrep/v1/evaluate/flags/${key}`, {
    as: 'olivia',
    body: { context: { targetingKey: 'user-42', country: 'DE' } },
  });
  return answer.json;
};

describe('dashboard: flags', () => {
  it("shows each flag's state, split, requirements, evaluation counts and findings per environment", async () => {
    const { page } = dashboard;
    const paint = await openView(dashboard, '#/flags/dev', 'flags');
    const rows = page.locator('table.flags tbody tr');
    expect(await rows.count()).toBe(3);
    // No drift in dev: the demo's flag rollout (ro-new-flow-dev) is changing dev, and drift is only
    // reported between environments no running rollout changes (prod-eu's drift is below).
    expect(await page.locator('[data-view="flags"] .summary').innerText()).toMatch(
      /^3 flags · 0 stale · 0 inert · 0 orphaned · 0 drift/,
    );
    expect(await page.locator('tr[data-flag="identity.mfa.passkeyPrompt"] td').nth(4).innerText()).toBe(
      'none',
    );
    expect(await page.locator('tr[data-flag="payments.checkout.newFlow"] td').nth(1).innerText()).toBe(
      'on for beta-testers; on 10% / off 90%; default off',
    );
    const ranking = page.locator('tr[data-flag="search.ranking.engine"]');
    expect(await ranking.locator('td').nth(0).innerText()).toBe('enabled');
    expect(await backgroundOf(page, 'tr[data-flag="search.ranking.engine"] .badge')).toBe(
      'rgb(220, 252, 231)',
    );
    expect(await ranking.locator('td').nth(1).innerText()).toBe('classic 50% / neural 50%; default classic');
    expect(await ranking.locator('td').nth(2).innerText()).toBe('met');
    expect(await ranking.locator('td').nth(3).innerText()).toMatch(
      /^2,391\s+classic: 1,204 \(50\.4%\)\s+neural: 1,187 \(49\.6%\)$/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'flags');

    // prod-eu: the demo killed the passkey prompt there (red).
    await page.getByRole('link', { name: 'prod-eu' }).click();
    await page.locator('[data-view="flags"][data-ready] h2', { hasText: 'Flags in prod-eu' }).waitFor();
    expect(await page.locator('[data-view="flags"] .summary').innerText()).toMatch(
      /^2 flags · 0 stale · 0 inert · 1 orphaned · 1 drift/,
    );
    const passkey = page.locator('tr[data-flag="identity.mfa.passkeyPrompt"]');
    expect(await passkey.locator('td').first().innerText()).toBe('killed');
    expect(await backgroundOf(page, 'tr[data-flag="identity.mfa.passkeyPrompt"] .badge')).toBe(
      'rgb(254, 226, 226)',
    );
    expect(paint).toBeGreaterThan(0);
  });

  it('kills a flag as a release manager after a confirmation that names the environment; it is served off', async () => {
    const { page } = dashboard;
    expect(await ofrep('dev', 'search.ranking.engine')).toMatchObject({ reason: 'SPLIT' });
    await page.goto(`${dashboard.server.url}/#/flags/dev`);
    const ranking = page.locator('tr[data-flag="search.ranking.engine"]');
    await ranking.waitFor();
    await ranking.getByRole('button', { name: /^Kill/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill search.ranking.engine in dev?' });
    expect(await dialog.innerText()).toMatch(
      /serve its off variant at once\. Other environments are not touched\./,
    );
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    expect(await dialog.locator('.problem').innerText()).toMatch(
      /Say why you kill search.ranking.engine in dev/,
    );
    await dialog.getByLabel('Reason (audited)').fill('neural ranking times out (SRCH-1001)');
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    await expect
      .poll(() => page.locator('.done').innerText(), { timeout: 5000 })
      .toBe('search.ranking.engine killed in dev.');
    await expect.poll(() => ranking.locator('td').first().innerText(), { timeout: 5000 }).toBe('killed');
    // Served off over OFREP: the off variant, reason DISABLED.
    expect(await ofrep('dev', 'search.ranking.engine')).toMatchObject({
      value: 'classic',
      variant: 'classic',
      reason: 'DISABLED',
    });
  });

  it('shows the refusal of a principal who may not kill, with the problem detail and what to do', async () => {
    const { page } = dashboard;
    await page.getByLabel('Acting as').selectOption('vera');
    const ranking = page.locator('tr[data-flag="payments.checkout.newFlow"]');
    await ranking.getByRole('button', { name: /^Kill/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Kill payments.checkout.newFlow in dev?' });
    await dialog.getByLabel('Reason (audited)').fill('trying');
    await dialog.getByRole('button', { name: 'Kill in dev' }).click();
    const problem = dialog.locator('.problem');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(
      /^Killing the flag failed: .*\(403 forbidden\)\n.+\nWhat to do: Act as a principal with the right role/s,
    );
    expect((await ofrep('dev', 'payments.checkout.newFlow')).reason).not.toBe('DISABLED');
  });
});
