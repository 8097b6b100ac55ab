import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import type { JsonValue } from '#domain/core/json.ts';
import { dotenvName, formatConfig, materialize, underPrefix } from '#domain/environments/config.ts';
import { sampleCatalog } from '../support/catalog.ts';

/** What a dotenv reader does with our lines: quoted values are JSON strings, the rest verbatim. */
const readDotenv = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.indexOf('=');
        const raw = line.slice(at + 1);
        return [line.slice(0, at), raw.startsWith('"') ? (JSON.parse(raw) as string) : raw];
      }),
  );

describe('materialize', () => {
  const snapshot = (values: Record<string, JsonValue>): Snapshot => ({ values, bundles: [] });

  it('fills catalog defaults, overlays the snapshot, then resolves references', () => {
    const { values, problems } = materialize(
      sampleCatalog(),
      snapshot({
        'payments.checkout.timeoutMs': 2500,
        'identity.session.ttlSeconds': 60,
        'legacy.gone.key': 'kept',
      }),
    );
    expect(problems).toEqual([]);
    expect(values).toMatchObject({
      'payments.checkout.timeoutMs': 2500,
      'payments.checkout.retryBudgetMs': 2500,
      'identity.session.label': 'ttl=60',
      'payments.checkout.mode': 'safe',
      'legacy.gone.key': 'kept',
    });
    expect(values).not.toHaveProperty('payments.checkout.legacyMode');
  });

  it('reports references the configuration cannot resolve', () => {
    const { values, problems } = materialize(
      sampleCatalog(),
      snapshot({ 'payments.checkout.timeoutMs': '${payments.checkout.legacyMode}' }),
    );
    expect(problems.map((p) => p.key)).toEqual([
      'payments.checkout.timeoutMs',
      'payments.checkout.retryBudgetMs',
    ]);
    expect(values['payments.checkout.timeoutMs']).toBe('${payments.checkout.legacyMode}');
  });
});

describe('formatConfig', () => {
  const values: Record<string, JsonValue> = {
    'payments.checkout.timeoutMs': 2500,
    'payments.checkout.mode': 'safe',
    'payments.checkoutx.other': true,
    'identity.session.label': 'say "hi"\nbye',
    'identity.session.limits': { max: 3 },
    'identity.session.none': null,
  };

  it('renders JSON as a flat, sorted, pretty map', () => {
    expect(formatConfig({ 'b.x': 1, 'a.y': 'two' }, 'json')).toBe('{\n  "a.y": "two",\n  "b.x": 1\n}\n');
  });

  it('renders YAML as a flat map that reads back to the same values', () => {
    const text = formatConfig(values, 'yaml');
    expect(text.startsWith('identity.session.label:')).toBe(true);
    expect(parseYaml(text)).toEqual(values);
  });

  it('renders dotenv with upper-snake names and safely quoted strings', () => {
    expect(formatConfig(values, 'dotenv')).toBe(
      [
        'IDENTITY_SESSION_LABEL="say \\"hi\\"\\nbye"',
        'IDENTITY_SESSION_LIMITS="{\\"max\\":3}"',
        'IDENTITY_SESSION_NONE=null',
        'PAYMENTS_CHECKOUT_MODE="safe"',
        'PAYMENTS_CHECKOUT_TIMEOUT_MS=2500',
        'PAYMENTS_CHECKOUTX_OTHER=true',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['payments.checkout', ['payments.checkout.mode', 'payments.checkout.timeoutMs']],
    ['payments.checkout.', ['payments.checkout.mode', 'payments.checkout.timeoutMs']],
    ['payments.checkout.mode', ['payments.checkout.mode']],
    ['payments', ['payments.checkout.mode', 'payments.checkout.timeoutMs', 'payments.checkoutx.other']],
    ['pay', []],
  ])('keeps only keys under prefix %s, on a dot boundary', (prefix, keys) => {
    expect(Object.keys(JSON.parse(formatConfig(values, 'json', prefix)) as object)).toEqual(keys);
  });

  it('renders an empty selection as an empty document', () => {
    expect(formatConfig(values, 'dotenv', 'nothing')).toBe('');
    expect(formatConfig(values, 'json', 'nothing')).toBe('{}\n');
  });

  it('warns in a comment when two keys map to one variable name', () => {
    expect(formatConfig({ 'a.b-c': 1, 'a.b_c': 2 }, 'dotenv')).toBe(
      'A_B_C=1\n# warning: a.b-c and a.b_c both map to A_B_C; the last one wins\nA_B_C=2\n',
    );
  });

  it('round-trips any string through dotenv', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a.x', 'a.yZ', 'b.q'), fc.string({ unit: 'binary' })),
        (record) => {
          const read = readDotenv(formatConfig(record, 'dotenv'));
          expect(Object.values(read).sort()).toEqual(Object.values(record).sort());
        },
      ),
    );
  });
});

describe('dotenvName', () => {
  it.each([
    ['payments.checkout.timeoutMs', 'PAYMENTS_CHECKOUT_TIMEOUT_MS'],
    ['identity.session.ttlSeconds', 'IDENTITY_SESSION_TTL_SECONDS'],
    ['search.index.HTTPServer', 'SEARCH_INDEX_HTTP_SERVER'],
    ['ads.v2.maxQPS', 'ADS_V2_MAX_QPS'],
    ['media-cdn.edge.ttl_s', 'MEDIA_CDN_EDGE_TTL_S'],
  ])('%s → %s', (key, name) => {
    expect(dotenvName(key)).toBe(name);
  });
});

describe('underPrefix', () => {
  it.each([
    ['a.b.c', '', true],
    ['a.b', 'a.b', true],
    ['a.bc', 'a.b', false],
  ])('%s under %j → %s', (key, prefix, expected) => {
    expect(underPrefix(key, prefix)).toBe(expected);
  });
});
