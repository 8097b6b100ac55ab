import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE } from '../../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { members, seedReleaseWorld } from '../../support/releases.ts';

/**
 * Readers see all of a release or none of it (issue 14, §3 and §7): while the three-team release is
 * deployed to dev and rolled back, again and again, 20 concurrent readers poll
 * `GET /environments/dev/config` (the API's read path: HEAD, then its snapshot) on DynamoDB Local.
 * Every observation holds each of the release's keys at its old value, or each at its new value.
 * (The injected failure before the flip: test/handlers/release-deploy.test.ts.)
 */
const READERS = 20;
const CYCLES = 2;
/** The keys whose value the release changes, before and after it. */
const BEFORE = {
  'identity.session.ttlSeconds': 3600,
  'payments.checkout.timeoutMs': 2000,
  'search.ranking.budgetMs': 3000,
};
const AFTER = {
  'identity.session.ttlSeconds': 7200,
  'payments.checkout.timeoutMs': 2500,
  'search.ranking.budgetMs': 2500,
};
type Observed = Record<keyof typeof BEFORE, unknown>;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  await seedReleaseWorld(api);
  for (const [team, as] of Object.entries(members)) {
    const res = await api.call('POST', `/releases/${RELEASE}/signoffs`, { as, body: { team } });
    expect(res.status, res.text).toBe(201);
  }
  const approved = await api.call('POST', `/releases/${RELEASE}/signoffs`, { body: { approve: true } });
  expect(approved.status, approved.text).toBe(201);
  // dev has a HEAD before the release (a bundle outside it), so "none of it" is a real snapshot.
  const earlier = await api.call('POST', '/bundles', {
    as: 'sam',
    body: {
      name: 'search-mode',
      version: '1',
      team: 'search',
      release: '2026.11-R9',
      changes: [{ set: 'search.ranking.mode', value: 'neural' }],
    },
  });
  expect(earlier.status, earlier.text).toBe(201);
  const first = await api.call('POST', '/environments/dev/deployments', {
    body: { bundle: 'search-mode@1' },
  });
  expect(first.status, first.text).toBe(201);
});
afterAll(async () => {
  await api.table.drop();
});

describe('an atomic release deploy under 20 concurrent readers', () => {
  it('never shows a reader part of the release, through several deploy/rollback cycles', async () => {
    const observed: Observed[] = [];
    /** Reads each reader has begun and finished: after a flip, every reader completes one begun after it. */
    const begun = Array.from({ length: READERS }, () => 0);
    const done = Array.from({ length: READERS }, () => 0);
    let stop = false;
    const reader = async (i: number): Promise<void> => {
      while (!stop) {
        begun[i] = (begun[i] ?? 0) + 1;
        const res = await api.call('GET', '/environments/dev/config');
        if (res.status !== 200) throw new Error(`reader ${i}: ${res.status} ${res.text}`);
        const config = JSON.parse(res.text) as Record<string, unknown>;
        observed.push({
          'identity.session.ttlSeconds': config['identity.session.ttlSeconds'],
          'payments.checkout.timeoutMs': config['payments.checkout.timeoutMs'],
          'search.ranking.budgetMs': config['search.ranking.budgetMs'],
        });
        done[i] = (done[i] ?? 0) + 1;
        // Poll, not spin: leave the writer room between reads.
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const everyReaderReadAgain = async (): Promise<void> => {
      const since = [...begun];
      while (done.some((n, i) => n <= (since[i] ?? 0))) await new Promise((r) => setTimeout(r, 5));
    };
    const running = Array.from({ length: READERS }, (_, i) => reader(i));
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const deployed = await api.call('POST', `/releases/${RELEASE}/deployments`, {
          body: { environment: 'dev' },
        });
        expect(deployed.status, deployed.text).toBe(201);
        await everyReaderReadAgain();
        const back = await api.call('POST', `/releases/${RELEASE}/rollback`, {
          body: { environment: 'dev' },
        });
        expect(back.status, back.text).toBe(201);
        await everyReaderReadAgain();
      }
    } finally {
      stop = true;
      await Promise.all(running);
    }

    const mixed = observed.filter(
      (o) => JSON.stringify(o) !== JSON.stringify(BEFORE) && JSON.stringify(o) !== JSON.stringify(AFTER),
    );
    expect(mixed).toEqual([]);
    // Both states were seen (each reader read after every flip, begun after it), so the check above is not vacuous.
    const seen = new Set(observed.map((o) => JSON.stringify(o)));
    expect(seen).toEqual(new Set([JSON.stringify(BEFORE), JSON.stringify(AFTER)]));
    expect(observed.length).toBeGreaterThanOrEqual(READERS * CYCLES * 2);
  });
});
