import { describe, expect, it } from 'vitest';
import { sinkTargetOf, sinkTargets } from '#app/sinks/sink-targets.ts';
import { flagSetOf } from '#app/flags/flag-set.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { DeploymentRecord } from '#domain/environments/head.ts';

const binding = {
  application: 'shop',
  environment: 'prod',
  profile: 'config',
  deploymentStrategy: 'AllAtOnce',
};
const catalog = catalogSchema.parse({
  environments: [
    { name: 'dev' },
    { name: 'staging', appconfig: binding },
    { name: 'prod', appconfig: { ...binding, flagsProfile: 'flags' } },
    { name: 'prod-us', appconfig: { ...binding, flagsProfile: 'flags', flagSetProfile: 'flag-set' } },
    { name: 'edge', appconfig: { ...binding, flagSetProfile: 'flag-set' } },
  ],
  namespaces: [{ name: 'shop', owner: 'web' }],
  teams: [{ name: 'web' }],
  flags: [{ key: 'shop.beta', type: 'boolean' }],
});
const flag = {
  type: 'boolean',
  enabled: true,
  variants: { on: true, off: false },
  defaultVariant: 'on',
  offVariant: 'off',
};
const snapshot = { values: { 'shop.beta': flag } } as unknown as Snapshot;
const record = { headVersion: 3 } as DeploymentRecord;

describe('sink targets', () => {
  it('an unbound environment has none; a bound one its configuration profile; flagsProfile adds the flags', () => {
    expect(sinkTargets(catalog, 'dev')).toEqual([]);
    expect(sinkTargets(catalog, 'staging').map((t) => [t.sink, t.binding])).toEqual([['appconfig', binding]]);
    expect(sinkTargets(catalog, 'prod').map((t) => [t.sink, t.binding.profile])).toEqual([
      ['appconfig', 'config'],
      ['appconfigFlags', 'flags'],
    ]);
    expect(sinkTargetOf(catalog, 'staging', 'appconfigFlags')).toBeUndefined();
    expect(sinkTargets(catalog, 'prod-us').map((t) => [t.sink, t.binding.profile])).toEqual([
      ['appconfig', 'config'],
      ['appconfigFlags', 'flags'],
      ['appconfigFlagSet', 'flag-set'],
    ]);
    expect(sinkTargets(catalog, 'edge').map((t) => t.sink)).toEqual(['appconfig', 'appconfigFlagSet']);
    expect(sinkTargetOf(catalog, 'prod', 'appconfigFlagSet')).toBeUndefined();
  });

  it('the flag-set content is the flag set GET /environments/{env}/flags answers, same bytes every time', () => {
    const target = sinkTargetOf(catalog, 'prod-us', 'appconfigFlagSet')!;
    expect(target.readsServices).toBe(true);
    expect(target.binding).not.toHaveProperty('flagSetProfile');
    expect(target.binding).not.toHaveProperty('flagsProfile');
    const services = { 'other-api': '1.0.0' };
    const content = target.content(record, snapshot, services);
    expect(content.omitted).toBeUndefined();
    expect(content.content).toBe(JSON.stringify(flagSetOf(catalog, 'prod-us', 3, snapshot, services)));
    expect(JSON.parse(content.content)).toMatchObject({
      environment: 'prod-us',
      version: 3,
      flags: { 'shop.beta': { type: 'boolean', enabled: true, defaultVariant: 'on' } },
      segments: {},
      services: {},
    });
    expect(target.content(record, snapshot, { ...services }).content).toBe(content.content);
    expect(sinkTargetOf(catalog, 'prod-us', 'appconfig')!.readsServices).toBeUndefined();
  });

  it('the flags content is the AWS.AppConfig.FeatureFlags document, with nothing omitted when all maps', () => {
    const content = sinkTargetOf(catalog, 'prod', 'appconfigFlags')!.content(record, snapshot, {});
    expect(content.omitted).toBeUndefined();
    expect(JSON.parse(content.content)).toEqual({
      version: '1',
      flags: { shop_beta: { name: 'shop.beta' } },
      values: { shop_beta: { enabled: true } },
    });
    // The binding handed to the publisher names the flags profile, never the catalog's extra field.
    expect(sinkTargetOf(catalog, 'prod', 'appconfigFlags')!.binding).not.toHaveProperty('flagsProfile');
  });
});
