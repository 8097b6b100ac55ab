import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, EvaluationDetails, JsonValue } from '@openfeature/server-sdk';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildFlagSet } from '#api/flags/flag-set.ts';
import type { FlagSet } from '#api/flags/flag-set.ts';
import type { FlagType } from '#domain/flags/flag.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { evaluationCases, fixtureFlagSet, fixtureNow } from '../api/flags/fixtures.ts';
import { startFlagSetServer } from './flag-set-server.ts';

const set = fixtureFlagSet();
let server: Awaited<ReturnType<typeof startFlagSetServer>>;
let domains = 0;

const open = async (provider: ConvoyProvider): Promise<Client> => {
  const domain = `convoy-${(domains += 1)}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
};

const httpProvider = (pollIntervalMs = 0) =>
  new ConvoyProvider({
    source: { api: server.api, environment: 'prod' },
    pollIntervalMs,
    now: () => fixtureNow,
  });

const details = (client: Client, key: string, type: FlagType, context: Record<string, unknown>) => {
  const ctx = context as Record<string, string>;
  if (type === 'boolean') return client.getBooleanDetails(key, false, ctx);
  if (type === 'string') return client.getStringDetails(key, 'default', ctx);
  if (type === 'number') return client.getNumberDetails(key, -1, ctx);
  return client.getObjectDetails(key, { default: true }, ctx);
};

const withFlag = (base: FlagSet, key: string, enabled: boolean): FlagSet =>
  buildFlagSet({
    environment: base.environment,
    version: base.version + 1,
    flags: { ...base.flags, [key]: { ...base.flags[key]!, enabled } },
    segments: base.segments,
  });

beforeAll(async () => {
  server = await startFlagSetServer(set);
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
});
afterEach(() => {
  vi.useRealTimers();
  server.serve(set);
  server.fail(undefined);
});

describe('ConvoyProvider: agrees with the domain on every golden case', () => {
  let client: Client;
  beforeAll(async () => {
    client = await open(httpProvider());
  });

  it.each(evaluationCases)('$name', async ({ flag, type, context, expected }) => {
    const flagType = type ?? set.flags[flag]?.type ?? 'boolean';
    const result: EvaluationDetails<JsonValue> = await details(client, flag, flagType, context);
    if (expected['reason'] === 'ERROR') {
      expect(result).toMatchObject({ reason: 'ERROR', errorCode: expected['errorCode'] });
      expect(result.value).toEqual((await details(client, 'no.such.flag', flagType, {})).value);
    } else {
      expect(result).toMatchObject({
        value: expected['value'],
        variant: expected['variant'],
        reason: expected['reason'],
      });
    }
    expect(result.flagMetadata['ruleIndex']).toBe(expected['ruleIndex']);
  });
});

describe('ConvoyProvider: refresh by ETag', () => {
  it('loads once, then polls with If-None-Match: 304 keeps the set', async () => {
    const provider = httpProvider();
    await open(provider);
    const before = server.requests.length;
    expect(await provider.refresh()).toEqual([]);
    expect(server.requests.slice(before)).toEqual([
      { url: '/api/environments/prod/flags', ifNoneMatch: set.etag, status: 304 },
    ]);
    expect(provider.flagSet).toBe(provider.flagSet);
    expect(provider.flagSet?.version).toBe(set.version);
  });

  it('emits PROVIDER_CONFIGURATION_CHANGED with the changed keys on the next poll', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const provider = httpProvider(5_000);
    const client = await open(provider);
    const changed = new Promise<unknown>((resolve) => {
      client.addHandler(ProviderEvents.ConfigurationChanged, resolve);
    });
    server.serve(withFlag(set, 'checkout.static', false));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await changed).toMatchObject({ flagsChanged: ['checkout.static'] });
    expect(provider.flagSet?.version).toBe(set.version + 1);
    expect(await client.getBooleanValue('checkout.static', true)).toBe(false);
    await OpenFeature.clearProviders();
  });

  it('keeps serving through a failed poll (PROVIDER_STALE), then PROVIDER_READY', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = await open(httpProvider(1_000));
    const stale = new Promise<unknown>((resolve) => {
      client.addHandler(ProviderEvents.Stale, resolve);
    });
    server.fail(500);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await stale).toMatchObject({ message: expect.stringContaining('500') });
    expect(await client.getBooleanValue('checkout.static', false)).toBe(true);
    let readyAgain = false;
    client.addHandler(ProviderEvents.Ready, () => {
      readyAgain = true;
    });
    server.fail(undefined);
    const changed = new Promise<unknown>((resolve) => {
      client.addHandler(ProviderEvents.ConfigurationChanged, resolve);
    });
    server.serve(withFlag(set, 'checkout.killed', false));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await changed).toMatchObject({ flagsChanged: ['checkout.killed'] });
    expect(readyAgain).toBe(true);
    await OpenFeature.clearProviders();
  });

  it('stops polling when closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const provider = httpProvider(1_000);
    await provider.initialize();
    await provider.onClose();
    const before = server.requests.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests.length).toBe(before);
  });
});

describe('ConvoyProvider: other sources', () => {
  it('reads a flag-set file, wire document or bare { flags, segments }', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convoy-flags-'));
    const wire = join(dir, 'wire.json');
    writeFileSync(wire, JSON.stringify(set));
    const fromWire = new ConvoyProvider({ source: { file: wire }, pollIntervalMs: 0 });
    await open(fromWire);
    expect(fromWire.flagSet).toEqual(set);
    expect(await fromWire.refresh()).toEqual([]);
    const bare = new ConvoyProvider({
      source: { file: 'test/fixtures/flags/flag-set.json', environment: 'dev' },
    });
    const client = await open(bare);
    expect(bare.flagSet).toMatchObject({ environment: 'dev', version: 0, etag: set.etag });
    expect(await client.getBooleanValue('checkout.static', false)).toBe(true);
    await OpenFeature.clearProviders();
  });

  it('takes an injected loader and fetch; a failed first load fails setProviderAndWait', async () => {
    const notModified = new ConvoyProvider({ source: { loader: () => Promise.resolve(undefined) } });
    await expect(open(notModified)).rejects.toThrow(/not modified/);
    const fetch = vi.fn(() => Promise.resolve(new Response('nope', { status: 403 })));
    const refused = new ConvoyProvider({
      source: {
        api: 'https://convoy.test/api/',
        environment: 'prod',
        fetch,
        headers: { authorization: 'Bearer t' },
      },
    });
    await expect(refused.initialize()).rejects.toMatchObject({
      code: 'unavailable',
      context: { status: 403 },
    });
    expect(fetch).toHaveBeenCalledWith('https://convoy.test/api/environments/prod/flags', {
      headers: { accept: 'application/json', authorization: 'Bearer t' },
    });
  });

  it('answers PROVIDER_NOT_READY before its set is loaded, and reads Date attributes as ISO text', async () => {
    const provider = new ConvoyProvider({
      source: { loader: () => Promise.resolve(set) },
      now: () => fixtureNow,
    });
    expect(provider.resolve('checkout.static', 'boolean', false, {})).toMatchObject({
      errorCode: 'PROVIDER_NOT_READY',
      value: false,
    });
    await provider.initialize();
    const signup = new Date('2026-07-01T00:00:00Z');
    expect(provider.resolve('checkout.operators', 'string', 'x', { signup })).toMatchObject({
      variant: 'after',
    });
  });
});
