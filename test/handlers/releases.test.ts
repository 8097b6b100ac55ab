import { beforeAll, describe, expect, it } from 'vitest';
import { RELEASE, identitySession, releaseManifest } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { pushAs, seedReleaseWorld } from '../support/releases.ts';

const path = `/releases/${RELEASE}`;
const { name: _name, bundles, ...fields } = releaseManifest();
/** The manifest document as a file holds it: bundles as `name` or `name@version`. */
const manifest = { ...fields, bundles: bundles.map((b) => b.name) };

const auditTypes = async (api: TestApi): Promise<string[]> =>
  (await api.store.audit.listEvents({ chain: '_release' })).map((e) => e.type);

describe('release routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    api.clock.now = new Date('2026-12-01T09:00:00Z');
    await seedReleaseWorld(api);
  });

  it('derives a release from its bundles alone: plan order, teams, nothing signed, valid together', async () => {
    const res = await api.call('GET', path, { as: 'vera' });
    expect(res.status).toBe(200);
    expect(res.json.bundles.map((b: { name: string }) => b.name)).toEqual([
      'identity-session',
      'checkout-timeouts',
      'search-ranking',
    ]);
    expect(res.json.teams).toEqual(['identity', 'payments', 'search']);
    expect(res.json.progress).toBe('not-started');
    expect(res.json.validation).toEqual({ dev: [], staging: [], prod: [] });
    expect(res.json.signoffs.complete).toBe(false);
    expect(res.json.readiness.ready).toBe(false);
    expect(res.json.plan.signoffs.map((s: { team: string }) => s.team)).toEqual([
      'identity',
      'payments',
      'search',
    ]);
  });

  it('refuses a manifest from someone who is not a release manager, and a bad one, writing nothing', async () => {
    const before = await api.table.dump();
    const byPriya = await api.call('PUT', path, { as: 'priya', body: manifest });
    expect(byPriya.status).toBe(403);
    const bad = await api.call('PUT', path, { body: { ...manifest, targetDate: '2026-02-30' } });
    expect(bad.status).toBe(422);
    expect(bad.json.problems).toEqual([expect.objectContaining({ path: 'body.targetDate' })]);
    const otherName = await api.call('PUT', path, { body: { ...manifest, name: 'other' } });
    expect(otherName.status).toBe(400);
    expect(otherName.json.problems).toEqual([expect.objectContaining({ path: 'body.name' })]);
    const list = await api.call('PUT', path, { body: ['not', 'a', 'manifest'] });
    expect(list.status).toBe(400);
    expect(await api.table.dump()).toEqual(before);
  });

  it('defines a release (audited), and a repeat writes nothing', async () => {
    const res = await api.call('PUT', path, { body: manifest });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ release: RELEASE, created: true, changed: true });
    const before = await api.table.dump();
    const again = await api.call('PUT', path, { body: manifest });
    expect(again.json).toEqual({ release: RELEASE, created: false, changed: false });
    expect(await api.table.dump()).toEqual(before);
    const changed = await api.call('PUT', path, { body: { ...manifest, description: 'moved' } });
    expect(changed.status).toBe(200);
    expect(await auditTypes(api)).toEqual(['ReleaseDefined', 'ReleaseDefined']);
    const got = await api.call('GET', path);
    expect(got.json.manifest).toMatchObject({
      targetDate: '2026-12-14',
      owner: 'olivia',
      description: 'moved',
    });
  });

  it('takes sign-offs from team members only, and a release manager approval', async () => {
    const outsider = await api.call('POST', `${path}/signoffs`, { as: 'priya', body: { team: 'identity' } });
    expect(outsider.status).toBe(403);
    expect(outsider.json.detail).toContain('not a member of team identity');
    const notManager = await api.call('POST', `${path}/signoffs`, { as: 'ivan', body: { approve: true } });
    expect(notManager.status).toBe(403);
    const bad = await api.call('POST', `${path}/signoffs`, { as: 'ivan', body: { team: 'identity', x: 1 } });
    expect(bad.status).toBe(422);
    for (const [as, team] of [
      ['ivan', 'identity'],
      ['priya', 'payments'],
      ['sam', 'search'],
    ] as const) {
      const res = await api.call('POST', `${path}/signoffs`, { as, body: { team, note: 'ok' } });
      expect(res.status).toBe(201);
    }
    const approved = await api.call('POST', `${path}/signoffs`, { body: { approve: true } });
    expect(approved.json.signoffs.complete).toBe(true);
    const got = await api.call('GET', path);
    expect(got.json.readiness).toEqual({ ready: true, reasons: [] });
    expect((await auditTypes(api)).slice(2)).toEqual([
      'ReleaseSignedOff',
      'ReleaseSignedOff',
      'ReleaseSignedOff',
      'ReleaseApproved',
    ]);
    const list = await api.call('GET', '/releases', { as: 'vera' });
    expect(list.json.releases).toEqual([
      expect.objectContaining({ release: RELEASE, bundles: 3, signedOff: true, ready: true, partial: [] }),
    ]);
  });

  it('a new version of a bundle invalidates the sign-offs that covered it, not the others', async () => {
    await pushAs(
      api,
      identitySession({ version: '3', changes: [{ set: 'identity.session.ttlSeconds', value: 9000 }] }),
    );
    const got = await api.call('GET', path);
    const states = Object.fromEntries(
      got.json.signoffs.teams.map((t: { team: string; state: string }) => [t.team, t.state]),
    );
    // checkout-timeouts depends on identity-session@2: the plan still asks payments for identity-session.
    expect(states).toMatchObject({ identity: 'stale', search: 'signed' });
    expect(got.json.signoffs.approval.state).toBe('stale');
    expect(got.json.readiness.ready).toBe(false);
  });

  it('reads releases without validating them together when asked (validate=false): the same state, no validation', async () => {
    const full = await api.call('GET', path, { as: 'vera' });
    const cheap = await api.call('GET', `${path}?validate=false`, { as: 'vera' });
    expect(cheap.status).toBe(200);
    expect(cheap.json.validated).toBe(false);
    expect(cheap.json.validation).toEqual({});
    expect(full.json.validated).toBeUndefined();
    const { readiness, validation: _v, validated: _d, ...state } = cheap.json;
    const { readiness: _r, validation: _fv, ...fullState } = full.json;
    expect(state).toEqual(fullState);
    // Readiness leaves the rules out: what it says besides them is the same.
    const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((p) => p.code);
    expect(codes(readiness)).toEqual(codes(full.json.readiness).filter((c) => c !== 'release.invalid'));
    const list = await api.call('GET', '/releases?validate=false', { as: 'vera' });
    expect(list.json.validated).toBe(false);
    expect(list.json.releases.map((r: { release: string }) => r.release)).toEqual(
      (await api.call('GET', '/releases', { as: 'vera' })).json.releases.map(
        (r: { release: string }) => r.release,
      ),
    );
    const bad = await api.call('GET', `${path}?validate=maybe`, { as: 'vera' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/validate/);
  });

  it('answers 404 for a release nothing names', async () => {
    expect((await api.call('GET', '/releases/nope')).status).toBe(404);
  });
});
