import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from '#domain/core/document.ts';
import { validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../../support/api.ts';
import { health, prodFirst, standard } from './support.ts';

const withStrategies = (...strategies: unknown[]): string =>
  `${fixtureCatalogYaml.trimEnd()}\nstrategies:\n${strategies.map((s) => `  - ${JSON.stringify(s)}`).join('\n')}\n`;

const put = (api: TestApi, yaml: string) =>
  api.call('PUT', '/catalog', { raw: yaml, headers: { 'content-type': 'application/yaml' } });

describe('catalog strategies', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
  });

  it('validates each strategy against the catalog environments, with unique names, every problem at once', async () => {
    const before = await api.table.dump();
    const res = await put(
      api,
      withStrategies(
        standard,
        { ...prodFirst, phases: [{ name: 'qa', environments: ['qa', 'dev', 'dev'], bake: 'PT5M' }] },
        { ...prodFirst, name: 'standard' },
      ),
    );
    expect(res.status).toBe(422);
    const found = (res.json.problems as { code: string; path: string }[]).map((p) => `${p.code} ${p.path}`);
    expect(found.sort()).toEqual([
      'catalog.duplicate strategies[2].name',
      'strategy.repeated-environment strategies[1].phases[0].environments[2]',
      'strategy.unknown-environment strategies[1].phases[0].environments[0]',
    ]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('applies a catalog whose strategy only warns (out of promotion order), returning the warning', async () => {
    const backwards = {
      name: 'backwards',
      phases: [
        { name: 'us', environments: ['prod-us'], bake: 'PT5M' },
        { name: 'eu', environments: ['prod-eu'], bake: 'PT5M' },
      ],
      health,
    };
    const res = await put(api, withStrategies(backwards));
    expect(res.status).toBe(200);
    expect(res.json.warnings).toEqual([
      expect.objectContaining({
        code: 'strategy.out-of-order',
        path: 'strategies[0].phases[1].environments[0]',
        severity: 'warning',
      }),
    ]);
  });

  it('ships the standard and fast strategies in the example catalog', () => {
    const parsed = parseDocument(readFileSync('examples/catalog.yaml', 'utf8'), 'yaml');
    const result = validateCatalog(parsed.ok ? parsed.value : undefined);
    expect(result).toMatchObject({ ok: true, problems: [] });
    const strategies = result.ok ? result.catalog.strategies : [];
    expect(
      strategies.map((s) => [
        s.name,
        s.phases.map((p) => [p.environments.join(), p.bake, p.approval ?? false]),
      ]),
    ).toEqual([
      [
        'standard',
        [
          ['dev', 'PT5M', false],
          ['staging', 'PT15M', true],
          ['prod-eu', 'PT30M', false],
          ['prod-us', 'PT1H', false],
        ],
      ],
      [
        'fast',
        [
          ['dev', 'PT2M', false],
          ['staging', 'PT2M', false],
          ['prod-eu', 'PT2M', false],
          ['prod-us', 'PT2M', false],
        ],
      ],
    ]);
    expect(strategies[0]).toMatchObject({
      health: { alarms: ['{env}-5xx-rate', '{env}-checkout-p99'], interval: 'PT1M' },
      finalWatch: 'PT30M',
    });
  });
});
