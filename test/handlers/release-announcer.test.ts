import { beforeAll, describe, expect, it } from 'vitest';
import { make } from '#functions/events/release-announcer.ts';
import { auditBusEnvelope } from '#local/release-announcer-entry.ts';
import type { AuditEvent } from '#domain/audit/event.ts';
import { RELEASE } from '../fixtures/releases/three-teams.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { seedReleaseWorld } from '../support/releases.ts';

/**
 * The release announcer on DynamoDB Local, fed audit events as the audit bus delivers them: release
 * steps become convoy.release events, and a bundle deployed alone announces the partial release.
 */
describe('release announcer', () => {
  let api: TestApi;
  let announce: ReturnType<typeof make>;
  const latest = async (chain: string): Promise<AuditEvent> => {
    const events = await api.store.audit.listEvents({ chain });
    return events[events.length - 1]!;
  };
  const run = async (event: AuditEvent) => {
    api.integrations.published.length = 0;
    const result = await announce(auditBusEnvelope(event));
    return { result, published: [...api.integrations.published] };
  };

  beforeAll(async () => {
    api = await createTestApi();
    api.clock.now = new Date('2026-12-01T09:00:00Z');
    await seedReleaseWorld(api);
    announce = make(api.deps);
  });

  it('announces a bundle deployed alone as ReleasePartial, with the ways out', async () => {
    const res = await api.call('POST', '/environments/staging/deployments', {
      body: { bundle: 'identity-session@2' },
    });
    expect(res.status, res.text).toBe(201);
    const { result, published } = await run(await latest('staging'));
    expect(result.announced).toEqual(['ReleasePartial']);
    expect(published).toEqual([
      {
        source: 'convoy.release',
        detailType: 'ReleasePartial',
        detail: expect.objectContaining({
          release: RELEASE,
          environment: 'staging',
          live: ['identity-session'],
          missing: ['checkout-timeouts', 'search-ranking'],
          waysOut: [
            expect.stringContaining(`convoy release deploy ${RELEASE} --env staging`),
            expect.stringContaining(`convoy release rollback ${RELEASE} --env staging`),
          ],
        }),
      },
    ]);
  });

  it('announces a release deploy (and nothing partial: dev holds all of it)', async () => {
    const res = await api.call('POST', `/releases/${RELEASE}/deployments`, {
      body: { environment: 'dev', overrideSignoffs: { reason: 'demo' } },
    });
    expect(res.status, res.text).toBe(201);
    const { published } = await run(await latest('dev'));
    expect(published).toEqual([
      {
        source: 'convoy.release',
        detailType: 'ReleaseDeployed',
        detail: expect.objectContaining({ release: RELEASE, environment: 'dev', actor: 'olivia' }),
      },
    ]);
  });

  it('announces nothing for a step outside releases', async () => {
    const res = await api.call('PUT', '/environments/prod/services/search-api', {
      as: 'sam',
      body: { version: '4.2.0' },
    });
    expect(res.status, res.text).toBe(200);
    expect((await run(await latest('prod'))).published).toEqual([]);
  });

  it('fails on an event without an item, so EventBridge retries or dead-letters it', async () => {
    await expect(announce({ detail: {} })).rejects.toThrow(/body.detail.item/);
  });

  it('fails when the bus refuses, so the event is delivered again', async () => {
    const event = await latest('dev');
    api.integrations.failing.add('events');
    try {
      await expect(announce(auditBusEnvelope(event))).rejects.toThrow();
    } finally {
      api.integrations.failing.delete('events');
    }
  });
});
