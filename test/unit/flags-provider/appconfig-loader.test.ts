import {
  AppConfigDataClient,
  BadRequestException,
  GetLatestConfigurationCommand,
  StartConfigurationSessionCommand,
} from '@aws-sdk/client-appconfigdata';
import type { Client, EvaluationDetails, JsonValue } from '@openfeature/server-sdk';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sinkTargetOf } from '#app/sinks/sink-targets.ts';
import { buildFlagSet, type FlagSet } from '#api/flags/flag-set.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';
import type { FlagType } from '#domain/flags/flag.ts';
import { appConfigFlagSetLoader } from '#flags-provider/appconfig-loader.ts';
import { ConvoyProvider } from '#flags-provider/convoy-provider.ts';
import { parseFlagSet } from '#flags-provider/flag-set-loader.ts';
import { evaluationCases, fixtureNow, readFixture } from '../api/flags/fixtures.ts';

/**
 * The provider offline from AppConfig: the flag-set sink's content for the golden flags, served by
 * AppConfigData (aws-sdk-client-mock), read by appConfigFlagSetLoader into ConvoyProvider.
 */
const golden = readFixture('flag-set.json') as {
  flags: Record<string, { type: string }>;
  segments: Record<string, unknown>;
};
const catalog = catalogSchema.parse({
  environments: [
    {
      name: 'prod',
      appconfig: {
        application: 'shop',
        environment: 'prod',
        profile: 'config',
        flagSetProfile: 'flag-set',
        deploymentStrategy: 'AllAtOnce',
      },
    },
  ],
  namespaces: [
    { name: 'checkout', owner: 'web' },
    { name: 'cycle', owner: 'web' },
  ],
  teams: [{ name: 'web' }],
  flags: Object.entries(golden.flags).map(([key, flag]) => ({ key, type: flag.type })),
  segments: golden.segments,
});
const snapshot = { values: golden.flags } as unknown as Snapshot;
/** What the sink publishes for HEAD 7 of prod. */
const published = sinkTargetOf(catalog, 'prod', 'appconfigFlagSet')!.content(
  { headVersion: 7 } as DeploymentRecord,
  snapshot,
  {},
).content;
const set = JSON.parse(published) as FlagSet;

const data = mockClient(AppConfigDataClient);
const client = new AppConfigDataClient({ region: 'eu-west-1' });
const encode = (text: string) => new TextEncoder().encode(text);
let clock = fixtureNow;
let tokens = 0;
/** AppConfigData answering `content` next (empty: unchanged), with a fresh token each time. */
const serve = (content: string, interval = 60) => {
  data.on(GetLatestConfigurationCommand).callsFake(() => ({
    Configuration: encode(content),
    ContentType: 'application/json',
    NextPollConfigurationToken: `next-${(tokens += 1)}`,
    NextPollIntervalInSeconds: interval,
  }));
};
const loader = (pollIntervalSeconds?: number) =>
  appConfigFlagSetLoader({
    client,
    application: 'shop',
    environment: 'prod',
    profile: 'flag-set',
    now: () => clock,
    ...(pollIntervalSeconds === undefined ? {} : { pollIntervalSeconds }),
  });
const withFlag = (key: string, enabled: boolean): FlagSet =>
  buildFlagSet({
    environment: set.environment,
    version: set.version + 1,
    flags: { ...set.flags, [key]: { ...set.flags[key]!, enabled } },
    segments: set.segments,
  });
const tokensSent = () =>
  data.commandCalls(GetLatestConfigurationCommand).map((call) => call.args[0].input.ConfigurationToken);

let domains = 0;
const open = async (provider: ConvoyProvider): Promise<Client> => {
  const domain = `appconfig-${(domains += 1)}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
};
const details = (c: Client, key: string, type: FlagType, context: Record<string, unknown>) => {
  const ctx = context as Record<string, string>;
  if (type === 'boolean') return c.getBooleanDetails(key, false, ctx);
  if (type === 'string') return c.getStringDetails(key, 'default', ctx);
  if (type === 'number') return c.getNumberDetails(key, -1, ctx);
  return c.getObjectDetails(key, { default: true }, ctx);
};

beforeEach(() => {
  data.reset();
  clock = fixtureNow;
  data.on(StartConfigurationSessionCommand).resolves({ InitialConfigurationToken: 'initial' });
  serve(published);
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await OpenFeature.close();
  data.restore();
});

describe('ConvoyProvider from AppConfig: the sink content gives the golden evaluations', () => {
  let oc: Client;
  it('loads the published set once (one session, one GetLatestConfiguration)', async () => {
    const provider = new ConvoyProvider({
      source: { loader: loader(30) },
      pollIntervalMs: 0,
      now: () => fixtureNow,
    });
    oc = await open(provider);
    expect(provider.flagSet).toEqual(set);
    expect(provider.flagSet).toMatchObject({ environment: 'prod', version: 7 });
    expect(data.commandCalls(StartConfigurationSessionCommand).map((c) => c.args[0].input)).toEqual([
      {
        ApplicationIdentifier: 'shop',
        EnvironmentIdentifier: 'prod',
        ConfigurationProfileIdentifier: 'flag-set',
        RequiredMinimumPollIntervalInSeconds: 30,
      },
    ]);
    expect(tokensSent()).toEqual(['initial']);
  });

  it.each(evaluationCases)('$name', async ({ flag, type, context, expected }) => {
    const flagType = type ?? set.flags[flag]?.type ?? 'boolean';
    const result: EvaluationDetails<JsonValue> = await details(oc, flag, flagType, context);
    if (expected['reason'] === 'ERROR') {
      expect(result).toMatchObject({ reason: 'ERROR', errorCode: expected['errorCode'] });
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

describe('appConfigFlagSetLoader: polling', () => {
  it('an empty Configuration keeps the set; polls follow the token; none before the interval AppConfig asks', async () => {
    const load = loader();
    expect(await load(undefined)).toEqual(set);
    expect(data.commandCalls(StartConfigurationSessionCommand)[0]?.args[0].input).not.toHaveProperty(
      'RequiredMinimumPollIntervalInSeconds',
    );
    serve('');
    expect(await load(set.etag)).toBeUndefined(); // too early: no call
    expect(tokensSent()).toHaveLength(1);
    clock += 60_000;
    expect(await load(set.etag)).toBeUndefined(); // unchanged
    const sent = tokensSent();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatch(/^next-/);
    // The same set again (a redeploy of the same flags) is unchanged too, as a 304 would be.
    serve(published, 0);
    clock += 60_000;
    expect(await load(set.etag)).toBeUndefined();
    expect(data.commandCalls(StartConfigurationSessionCommand)).toHaveLength(1);
  });

  it('a changed set emits PROVIDER_CONFIGURATION_CHANGED with the changed keys', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const provider = new ConvoyProvider({ source: { loader: loader() }, pollIntervalMs: 60_000 });
    const oc = await open(provider);
    const changed = new Promise<unknown>((resolve) => {
      oc.addHandler(ProviderEvents.ConfigurationChanged, resolve);
    });
    serve(JSON.stringify(withFlag('checkout.static', false)));
    clock += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await changed).toMatchObject({ flagsChanged: ['checkout.static'] });
    expect(provider.flagSet?.version).toBe(set.version + 1);
    expect(await oc.getBooleanValue('checkout.static', true)).toBe(false);
    await OpenFeature.clearProviders();
  });

  it('malformed content is PROVIDER_STALE, never a crash; the next poll reads the whole content again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const provider = new ConvoyProvider({ source: { loader: loader() }, pollIntervalMs: 60_000 });
    const oc = await open(provider);
    const stale = new Promise<unknown>((resolve) => {
      oc.addHandler(ProviderEvents.Stale, resolve);
    });
    serve('{"flags": {"checkout.static": {"type": "nonsense"}}}');
    clock += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await stale).toMatchObject({
      message: expect.stringMatching(/AppConfig shop\/prod\/flag-set: the content is not a Convoy flag set/),
    });
    expect(await oc.getBooleanValue('checkout.static', false)).toBe(true);
    // The session was dropped: the next poll starts another one and gets the fixed content whole.
    const ready = new Promise<unknown>((resolve) => {
      oc.addHandler(ProviderEvents.Ready, resolve);
    });
    serve(JSON.stringify(withFlag('checkout.static', false)));
    await vi.advanceTimersByTimeAsync(60_000);
    await ready;
    expect(data.commandCalls(StartConfigurationSessionCommand)).toHaveLength(2);
    expect(await oc.getBooleanValue('checkout.static', true)).toBe(false);
    await OpenFeature.clearProviders();
  });

  it('a failed first load (not JSON, nothing deployed, AppConfig refusing) fails setProviderAndWait', async () => {
    serve('not json');
    await expect(open(new ConvoyProvider({ source: { loader: loader() } }))).rejects.toThrow(
      /not a Convoy flag set/,
    );
    serve('');
    await expect(loader()(undefined)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'AppConfig shop/prod/flag-set: no flag set is deployed to the profile',
    });
    data
      .on(StartConfigurationSessionCommand)
      .rejects(new BadRequestException({ message: 'bad profile', $metadata: {} }));
    await expect(loader()(undefined)).rejects.toMatchObject({
      code: 'unavailable',
      message: 'AppConfig shop/prod/flag-set: reading the flag set failed: bad profile',
      context: { application: 'shop', environment: 'prod', profile: 'flag-set' },
    });
  });

  it('a failed poll (an expired token) drops the session; the next poll starts a new one', async () => {
    const load = loader();
    expect(await load(undefined)).toEqual(set);
    clock += 60_000;
    data
      .on(GetLatestConfigurationCommand)
      .rejects(new BadRequestException({ message: 'token expired', $metadata: {} }));
    await expect(load(set.etag)).rejects.toThrow(/token expired/);
    serve(published);
    expect(await load(set.etag)).toBeUndefined(); // the whole content again, same ETag
    expect(data.commandCalls(StartConfigurationSessionCommand)).toHaveLength(2);
  });

  it("the README's AppConfig Agent loader: parseFlagSet of the agent's answer, unchanged on the same ETag", async () => {
    const served: string[] = [];
    const fetch = (url: string) => {
      served.push(url);
      return Promise.resolve(new Response(published, { status: 200 }));
    };
    const agent =
      'http://localhost:2772/applications/convoy-shop/environments/prod-eu/configurations/convoy-flag-set';
    const agentLoader = async (etag?: string) => {
      const response = await fetch(agent);
      if (!response.ok) throw new Error(`AppConfig Agent answered ${response.status}`);
      const loaded = parseFlagSet(await response.json());
      return loaded.etag === etag ? undefined : loaded;
    };
    const provider = new ConvoyProvider({ source: { loader: agentLoader }, pollIntervalMs: 0 });
    await provider.initialize();
    expect(provider.flagSet).toEqual(set);
    expect(await provider.refresh()).toEqual([]);
    expect(served).toEqual([agent, agent]);
  });

  it('creates its own client when given none (lazily, from the AWS environment)', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const load = appConfigFlagSetLoader({ application: 'shop', environment: 'prod', profile: 'flag-set' });
    expect(await load(undefined)).toEqual(set);
    vi.unstubAllEnvs();
  });
});
