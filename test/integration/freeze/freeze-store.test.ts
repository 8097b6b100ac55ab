import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '#domain/audit/event.ts';
import { FREEZE_CHAIN, itemTypes } from '#store/keys.ts';
import {
  actor,
  catalogOf,
  convoyError,
  createHarness,
  itemsOfType,
  prepareDeploy,
  requireHead,
  sealedBundle,
  type Harness,
} from '../store/support.ts';
import { window } from './support.ts';

let h: Harness;
const ENVS = ['dev', 'staging', 'prod-eu'];

const guardVersions = async (): Promise<number[]> =>
  Promise.all(ENVS.map(async (env) => (await h.store.freezes.getGuard(env)).version));

const freezeEvents = async () => h.store.audit.listEvents({ chain: FREEZE_CHAIN });

beforeAll(async () => {
  h = await createHarness('freeze-store');
  await h.store.catalogs.putCatalog(catalogOf(ENVS), 0, actor());
});
afterAll(async () => {
  await h.table.drop();
});

describe('FreezeStore windows', () => {
  const yearEnd = window('year-end', '2026-12-20T00:00:00Z', '2027-01-04T00:00:00Z');

  it('starts with no windows and unbumped guards', async () => {
    expect(await h.store.freezes.listWindows()).toEqual([]);
    expect(await h.store.freezes.getGuard('dev')).toEqual({
      environment: 'dev',
      version: 0,
      active: [],
      level: null,
    });
  });

  it('creates windows with one audit event each and bumps every environment guard in the same transaction', async () => {
    const results = await h.store.freezes.putWindows(
      [yearEnd, window('launch', '2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z')],
      actor(),
    );
    expect(results).toEqual([
      { id: 'year-end', created: true, changed: true },
      { id: 'launch', created: true, changed: true },
    ]);
    expect(await h.store.freezes.getWindow('year-end')).toEqual(yearEnd);
    expect((await h.store.freezes.listWindows()).map((w) => w.id).sort()).toEqual(['launch', 'year-end']);
    expect(await guardVersions()).toEqual([1, 1, 1]);
    const events = await freezeEvents();
    expect(events.map((e) => [e.type, e.subject, e.detail.created])).toEqual([
      ['FreezeWindowAdded', 'year-end', true],
      ['FreezeWindowAdded', 'launch', true],
    ]);
    expect(events[0]?.detail.window).toEqual(yearEnd);
  });

  it('writes nothing for an unchanged window (an idempotent retry)', async () => {
    const before = await h.table.dump();
    expect(await h.store.freezes.putWindows([yearEnd], actor())).toEqual([
      { id: 'year-end', created: false, changed: false },
    ]);
    expect(await h.table.dump()).toEqual(before);
  });

  it('replaces a changed window and bumps the guards again', async () => {
    const soft = { ...yearEnd, level: 'soft' as const };
    expect(await h.store.freezes.putWindows([soft], actor())).toEqual([
      { id: 'year-end', created: false, changed: true },
    ]);
    expect((await h.store.freezes.getWindow('year-end'))?.level).toBe('soft');
    expect(await guardVersions()).toEqual([2, 2, 2]);
    expect((await freezeEvents()).at(-1)).toMatchObject({
      type: 'FreezeWindowAdded',
      detail: { created: false },
    });
  });

  it('splits a large calendar into transactions of at most 25 windows', async () => {
    const doc = h.freshClient();
    const sizes: number[] = [];
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: { Put?: { Item?: { type?: string } } }[] };
        if (context.commandName === 'TransactWriteItemsCommand') {
          sizes.push(
            (input.TransactItems ?? []).filter((i) => i.Put?.Item?.type === itemTypes.freezeWindow).length,
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'count' },
    );
    const many = Array.from({ length: 30 }, (_, i) =>
      window(`bulk-${i}`, '2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z'),
    );
    const results = await h.storeWith(doc).freezes.putWindows(many, actor());
    expect(results.every((r) => r.created)).toBe(true);
    expect(sizes).toEqual([25, 5]);
    expect(await guardVersions()).toEqual([4, 4, 4]);
    for (const w of many) await h.store.freezes.removeWindow(w.id, actor());
  });

  it('refuses a window another writer changed in between, writing nothing of its own', async () => {
    const doc = h.freshClient();
    let raced = false;
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
          raced = true;
          await h.store.freezes.putWindows([{ ...yearEnd, name: 'Changed meanwhile' }], actor('rita'));
        }
        return next(args);
      },
      { step: 'initialize', name: 'race' },
    );
    const error = await convoyError(
      h.storeWith(doc).freezes.putWindows([{ ...yearEnd, name: 'Mine' }], actor()),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/year-end changed concurrently/);
    expect((await h.store.freezes.getWindow('year-end'))?.name).toBe('Changed meanwhile');
  });

  it('removes a window with its audit event and a guard bump; an unknown one is not found', async () => {
    const before = await guardVersions();
    expect(await h.store.freezes.removeWindow('launch', actor())).toMatchObject({ id: 'launch' });
    expect(await h.store.freezes.getWindow('launch')).toBeUndefined();
    expect(await guardVersions()).toEqual(before.map((v) => v + 1));
    expect((await freezeEvents()).at(-1)).toMatchObject({ type: 'FreezeWindowRemoved', subject: 'launch' });
    expect((await convoyError(h.store.freezes.removeWindow('launch', actor()))).code).toBe('not-found');
  });

  it('refuses a removal racing with a change of the window', async () => {
    await h.store.freezes.putWindows(
      [window('racy', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z')],
      actor(),
    );
    const doc = h.freshClient();
    let raced = false;
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
          raced = true;
          await h.store.freezes.putWindows(
            [window('racy', '2026-05-01T00:00:00Z', '2026-05-03T00:00:00Z')],
            actor(),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'race' },
    );
    expect((await convoyError(h.storeWith(doc).freezes.removeWindow('racy', actor()))).code).toBe('conflict');
    expect(await h.store.freezes.getWindow('racy')).toBeDefined();
  });
});

describe('FreezeStore activation', () => {
  it('records the windows in force, once, with FreezeStarted and FreezeEnded', async () => {
    const start = await h.store.freezes.getGuard('prod-eu');
    const started = await h.store.freezes.activate(
      'prod-eu',
      { active: ['year-end', 'b'], level: 'hard' },
      actor(),
    );
    expect(started).toMatchObject({ changed: true, started: ['b', 'year-end'], ended: [] });
    expect(started.guard).toMatchObject({
      version: start.version + 1,
      active: ['b', 'year-end'],
      level: 'hard',
    });
    expect(await h.store.freezes.getGuard('prod-eu')).toEqual(started.guard);

    const again = await h.store.freezes.activate(
      'prod-eu',
      { active: ['year-end', 'b'], level: 'hard' },
      actor(),
    );
    expect(again).toMatchObject({ changed: false, started: [], ended: [] });

    const swapped = await h.store.freezes.activate(
      'prod-eu',
      { active: ['year-end', 'c'], level: 'hard' },
      actor(),
    );
    expect(swapped).toMatchObject({ started: ['c'], ended: ['b'] });
    const levelOnly = await h.store.freezes.activate(
      'prod-eu',
      { active: ['c', 'year-end'], level: 'soft' },
      actor(),
    );
    expect(levelOnly).toMatchObject({ changed: true, started: [], ended: [] });
    const ended = await h.store.freezes.activate('prod-eu', { active: [], level: null }, actor());
    expect(ended).toMatchObject({ changed: true, started: [], ended: ['c', 'year-end'] });
    const types = (await freezeEvents()).slice(-5).map((e) => e.type);
    expect(types).toEqual([
      'FreezeStarted',
      'FreezeStarted',
      'FreezeEnded',
      'FreezeLevelChanged',
      'FreezeEnded',
    ]);
  });

  it('re-reads the guard when another activation won the race', async () => {
    const doc = h.freshClient();
    let raced = false;
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && !raced) {
          raced = true;
          await h.store.freezes.activate('staging', { active: ['year-end'], level: 'soft' }, actor('rival'));
        }
        return next(args);
      },
      { step: 'initialize', name: 'race' },
    );
    const result = await h
      .storeWith(doc)
      .freezes.activate('staging', { active: ['year-end'], level: 'soft' }, actor());
    expect(result.changed).toBe(false);
    expect(
      (await freezeEvents()).filter((e) => e.subject === 'staging' && e.type === 'FreezeStarted'),
    ).toHaveLength(1);
  });

  it('records rejected changes on the _freeze chain', async () => {
    await h.store.freezes.recordRejection({
      at: '2026-12-21T10:00:00.000Z',
      environment: 'prod-eu',
      kind: 'deploy',
      principal: 'olivia',
      bundle: 'hotfix@1',
      windows: ['year-end'],
      code: 'freeze.frozen',
      reason: 'prod-eu is frozen',
    });
    expect((await freezeEvents()).at(-1)).toMatchObject({
      type: 'ChangeRejected',
      subject: 'prod-eu',
      actor: 'olivia',
      detail: { kind: 'deploy', bundle: 'hotfix@1', windows: ['year-end'], code: 'freeze.frozen' },
    });
  });

  it('keeps the _freeze chain verifiable', async () => {
    const chains = await h.store.audit.listChains();
    const head = chains.find((c) => c.chain === FREEZE_CHAIN)?.head;
    expect(verifyChain(FREEZE_CHAIN, await freezeEvents(), head)).toMatchObject({ ok: true });
  });
});

describe('the freeze guard in the commit transaction', () => {
  it('vetoes a commit computed against an older guard version, and lets a current one through', async () => {
    const head = await requireHead(h.store, 'dev');
    const seen = await h.store.freezes.getGuard('dev');
    const change = await prepareDeploy(
      h.store,
      head,
      sealedBundle('guarded', '1', { 'payments.checkout.timeoutMs': 900 }),
    );
    await h.store.freezes.putWindows(
      [window('fresh', '2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z')],
      actor(),
    );
    const before = await itemsOfType(h.table, itemTypes.deployment);
    const error = await convoyError(
      h.store.environments.commit({
        ...change,
        guards: [{ kind: 'freeze-guard' as const, environment: 'dev', seenVersion: seen.version }],
      }),
    );
    expect(error.code).toBe('conflict');
    expect(error.context.failedGuards).toEqual([0]);
    expect(await itemsOfType(h.table, itemTypes.deployment)).toEqual(before);
    expect((await requireHead(h.store, 'dev')).version).toBe(head.version);

    const current = await h.store.freezes.getGuard('dev');
    const committed = await h.store.environments.commit({
      ...change,
      guards: [{ kind: 'freeze-guard' as const, environment: 'dev', seenVersion: current.version }],
    });
    expect(committed.head.version).toBe(head.version + 1);
  });

  it('checks an environment whose guard was never bumped by its absence', async () => {
    await h.store.catalogs.putCatalog(catalogOf([...ENVS, 'fresh-env']), 1, actor());
    const head = await requireHead(h.store, 'fresh-env');
    const change = await prepareDeploy(
      h.store,
      head,
      sealedBundle('guarded', '2', { 'payments.checkout.timeoutMs': 901 }),
    );
    const committed = await h.store.environments.commit({
      ...change,
      guards: [{ kind: 'freeze-guard' as const, environment: 'fresh-env', seenVersion: 0 }],
    });
    expect(committed.head.version).toBe(1);
  });
});
