import { describe, expect, it } from 'vitest';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { validateBundle } from '#domain/bundles/validate-bundle.ts';
import type { ValidationContext } from '#domain/bundles/validate-bundle.ts';
import type { Problem } from '#domain/core/problem.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { bundleDocument, catalogDocument, sampleCatalog, sealed } from '../support/catalog.ts';
import { largeBundleDocument, largeCatalog, largeSnapshot } from '../support/large.ts';

const catalog = sampleCatalog();
const liveSnapshot: Snapshot = {
  values: {
    'payments.checkout.legacyMode': true,
    'payments.checkout.enabled': '${payments.checkout.legacyMode}',
    'payments.retired.flag': 1,
  },
  bundles: [{ name: 'identity-session', version: '1', hash: 'h1' }],
};
const inEnvironment: ValidationContext = {
  catalog,
  environment: 'prod-eu',
  snapshot: liveSnapshot,
  services: { 'checkout-api': '2.2.0', 'session-api': 'latest' },
};

const problemsOf = (overrides: Record<string, unknown>, ctx: ValidationContext = inEnvironment): Problem[] =>
  validateBundle(bundleDocument(overrides), ctx).problems;
const set = (key: string, value: unknown) => ({ changes: [{ set: key, value }] });

describe('validateBundle: one rule at a time', () => {
  it.each<[string, Record<string, unknown>, Problem[]]>([
    [
      'value.invalid: a value that does not fit its parameter',
      set('payments.checkout.timeoutMs', 50000),
      [
        {
          code: 'value.invalid',
          key: 'payments.checkout.timeoutMs',
          path: 'changes[0].value',
          message: 'payments.checkout.timeoutMs must be an integer between 100 and 30000, got 50000',
        },
      ],
    ],
    [
      'value.invalid: a reference resolving to a misfit, blamed on every key it breaks',
      set('payments.checkout.timeoutMs', '${payments.checkout.mode}'),
      [
        {
          code: 'value.invalid',
          key: 'payments.checkout.timeoutMs',
          path: 'changes[0].value',
          message:
            'payments.checkout.timeoutMs resolves to "safe", which must be an integer between 100 and 30000, got "safe"',
        },
        {
          code: 'value.invalid',
          key: 'payments.checkout.retryBudgetMs',
          message: 'payments.checkout.retryBudgetMs resolves to "safe", which must be an integer, got "safe"',
        },
      ],
    ],
    [
      'key.unknown: a typo, with the closest known key',
      set('payments.checkout.timoutMs', 2500),
      [
        {
          code: 'key.unknown',
          key: 'payments.checkout.timoutMs',
          path: 'changes[0]',
          message: 'unknown key payments.checkout.timoutMs; did you mean payments.checkout.timeoutMs?',
        },
      ],
    ],
    [
      'key.unknown: a delete of a key neither in the catalog nor in the environment',
      { changes: [{ delete: 'payments.retired.other' }] },
      [
        {
          code: 'key.unknown',
          key: 'payments.retired.other',
          path: 'changes[0]',
          message: 'unknown key payments.retired.other: it is neither in the catalog nor set in prod-eu',
        },
      ],
    ],
    [
      'namespace.unknown: with the closest namespace',
      set('paymnts.checkout.timeoutMs', 2500),
      [
        {
          code: 'namespace.unknown',
          key: 'paymnts.checkout.timeoutMs',
          path: 'changes[0]',
          message:
            'namespace paymnts of paymnts.checkout.timeoutMs is not in the catalog; did you mean payments?',
        },
      ],
    ],
    [
      'namespace.not-owned: another team’s namespace',
      set('identity.session.ttlSeconds', 600),
      [
        {
          code: 'namespace.not-owned',
          key: 'identity.session.ttlSeconds',
          path: 'changes[0]',
          message:
            'team payments does not own namespace identity (owned by identity); ask identity to change identity.session.ttlSeconds',
        },
      ],
    ],
    [
      'team.unknown: a team missing from the catalog',
      { team: 'search', changes: [{ set: 'payments.checkout.mode', value: 'fast' }] },
      [
        { code: 'team.unknown', path: 'team', message: 'team search is not in the catalog' },
        {
          code: 'namespace.not-owned',
          key: 'payments.checkout.mode',
          path: 'changes[0]',
          message:
            'team search does not own namespace payments (owned by payments); ask payments to change payments.checkout.mode',
        },
      ],
    ],
    [
      'service.unknown: a required service missing from the catalog',
      { requires: [{ service: 'checkout-apx', range: '>=1.0.0' }] },
      [
        {
          code: 'service.unknown',
          path: 'requires[0]',
          message: 'service checkout-apx is not in the catalog; did you mean checkout-api?',
        },
      ],
    ],
    [
      'requires.invalid-range: a range semver cannot read',
      { requires: [{ service: 'checkout-api', range: 'two-ish' }] },
      [
        {
          code: 'requires.invalid-range',
          path: 'requires[0].range',
          message: '"two-ish" is not a semver range (e.g. >=2.3.0, ^1.4)',
        },
      ],
    ],
    [
      'service.version-unsatisfied: the deployed version is outside the range',
      { requires: [{ service: 'checkout-api', range: '>=2.3.0' }] },
      [
        {
          code: 'service.version-unsatisfied',
          path: 'requires[0]',
          message: 'requires checkout-api >=2.3.0, but prod-eu runs checkout-api 2.2.0',
        },
      ],
    ],
    [
      'service.version-unsatisfied: the reported version is not semver',
      { requires: [{ service: 'session-api', range: '^1.0.0' }] },
      [
        {
          code: 'service.version-unsatisfied',
          path: 'requires[0]',
          message:
            'requires session-api ^1.0.0, but prod-eu runs session-api latest, which is not a semantic version',
        },
      ],
    ],
    [
      'reference.unresolved: a set value referencing a missing key',
      set('payments.checkout.mode', '${payments.checkout.nothing}'),
      [
        {
          code: 'reference.unresolved',
          key: 'payments.checkout.mode',
          path: 'changes[0].value',
          message: 'payments.checkout.mode references payments.checkout.nothing, which is not set',
        },
      ],
    ],
    [
      'reference.unresolved: a delete leaving a reference dangling',
      { changes: [{ delete: 'payments.checkout.legacyMode' }] },
      [
        {
          code: 'reference.unresolved',
          key: 'payments.checkout.enabled',
          path: 'changes[0]',
          message:
            'payments.checkout.enabled references payments.checkout.legacyMode, which this bundle deletes',
        },
      ],
    ],
    [
      'reference.cycle: a cycle through a key the bundle sets, with its path',
      set('payments.checkout.timeoutMs', '${payments.checkout.retryBudgetMs}'),
      [
        {
          code: 'reference.cycle',
          key: 'payments.checkout.timeoutMs',
          message:
            'references form a cycle: payments.checkout.timeoutMs → payments.checkout.retryBudgetMs → payments.checkout.timeoutMs',
        },
      ],
    ],
    [
      'dependency.not-deployed: another version is deployed',
      { dependsOn: ['identity-session@2'] },
      [
        {
          code: 'dependency.not-deployed',
          path: 'dependsOn[0]',
          message:
            'depends on identity-session@2, which must be deployed to prod-eu first (it has identity-session@1)',
        },
      ],
    ],
    [
      'dependency.not-deployed: nothing of that name is deployed',
      { dependsOn: ['search-index@1'] },
      [
        {
          code: 'dependency.not-deployed',
          path: 'dependsOn[0]',
          message:
            'depends on search-index@1, which must be deployed to prod-eu first (no version of search-index is deployed there)',
        },
      ],
    ],
    [
      'change.duplicate-key: two changes to one key',
      {
        changes: [{ set: 'payments.checkout.mode', value: 'fast' }, { delete: 'payments.checkout.mode' }],
      },
      [
        {
          code: 'change.duplicate-key',
          key: 'payments.checkout.mode',
          path: 'changes[1]',
          message:
            'payments.checkout.mode is changed twice (changes[0] and changes[1]); a bundle changes a key once',
        },
      ],
    ],
  ])('%s', (_, overrides, expected) => {
    expect(problemsOf(overrides)).toEqual(expected);
  });
});

describe('validateBundle: what it accepts', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a valid bundle', {}],
    [
      'a cleanup delete of a key the environment still has',
      { changes: [{ delete: 'payments.retired.flag' }] },
    ],
    ['a dependency deployed at exactly that version', { dependsOn: ['identity-session@1'] }],
    ['a satisfied requirement', { requires: [{ service: 'checkout-api', range: '^2.2.0' }] }],
    [
      'a reference that resolves and fits',
      set('payments.checkout.retryBudgetMs', '${identity.session.ttlSeconds}'),
    ],
    ['a delete that falls back to a default', { changes: [{ delete: 'payments.checkout.mode' }] }],
  ])('accepts %s', (_, overrides) => {
    expect(validateBundle(bundleDocument(overrides), inEnvironment)).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  it('does not blame the bundle for problems the environment already had', () => {
    const broken: Snapshot = {
      values: {
        'identity.session.label': '${identity.session.missing}',
        'identity.session.ttlSeconds': '${identity.session.ttlSeconds}',
        'payments.checkout.ratio': '${payments.checkout.mode}',
      },
      bundles: [],
    };
    expect(validateBundle(bundleDocument(), { ...inEnvironment, snapshot: broken }).problems).toEqual([]);
  });

  it('returns the parsed bundle, its seal and the next snapshot', () => {
    const result = validateBundle(bundleDocument({ version: 3 }), inEnvironment);
    expect(result.bundle?.version).toBe('3');
    expect(result.sealed).toEqual(sealed());
    expect(result.next).toEqual({
      values: { ...liveSnapshot.values, 'payments.checkout.timeoutMs': 2500 },
      bundles: [...liveSnapshot.bundles, { name: 'checkout-timeouts', version: '3', hash: sealed().hash }],
    });
  });

  it('re-validates a bundle that was already parsed (dependsOn as objects)', () => {
    const parsed = sealed({ dependsOn: ['identity-session@1'] }).bundle;
    expect(validateBundle(parsed, inEnvironment)).toMatchObject({
      ok: true,
      sealed: sealed({ dependsOn: ['identity-session@1'] }),
    });
  });

  it('reads YAML or JSON text', () => {
    const yaml =
      'name: checkout-timeouts\nversion: 3\nrelease: 2026.12-R1\nteam: payments\nchanges:\n  - { set: payments.checkout.timeoutMs, value: 2500 }\n';
    expect(validateBundle(yaml, inEnvironment)).toMatchObject({ ok: true, sealed: sealed() });
    expect(validateBundle('name: [', inEnvironment).problems[0]?.code).toBe('document.syntax');
  });

  it('returns field problems for a malformed document', () => {
    expect(validateBundle({ name: 'x' }, inEnvironment)).toEqual({
      ok: false,
      problems: [
        { code: 'field.required', path: 'version', message: 'missing required field "version"' },
        { code: 'field.required', path: 'release', message: 'missing required field "release"' },
        { code: 'field.required', path: 'team', message: 'missing required field "team"' },
        { code: 'field.required', path: 'changes', message: 'missing required field "changes"' },
      ],
    });
  });
});

describe('validateBundle: environment-dependent rules', () => {
  const offline: ValidationContext = { catalog };

  it('reports an unknown environment (with a suggestion) and skips the rules that need it', () => {
    const result = validateBundle(
      bundleDocument({ dependsOn: ['x@1'], requires: [{ service: 'checkout-api', range: '>=9' }] }),
      {
        ...inEnvironment,
        environment: 'prod-ex',
      },
    );
    expect(result.problems).toEqual([
      {
        code: 'environment.unknown',
        message: 'environment prod-ex is not in the catalog; did you mean prod-eu?',
      },
    ]);
    expect(result.next).toBeUndefined();
  });

  it('offline, skips services, dependencies and the snapshot', () => {
    const result = validateBundle(
      bundleDocument({ dependsOn: ['x@1'], requires: [{ service: 'checkout-api', range: '>=9' }] }),
      offline,
    );
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.next).toBeUndefined();
  });

  it('offline, checks references against catalog defaults plus the bundle', () => {
    expect(
      problemsOf(set('payments.checkout.mode', '${payments.checkout.legacyMode}'), offline).map(
        (p) => p.code,
      ),
    ).toEqual(['reference.unresolved']);
    expect(
      problemsOf(set('payments.checkout.retryBudgetMs', '${payments.checkout.timeoutMs}'), offline),
    ).toEqual([]);
  });

  it('offline, only warns about deleting an unknown key (it may be a cleanup)', () => {
    const result = validateBundle(
      bundleDocument({ changes: [{ delete: 'payments.retired.flag' }] }),
      offline,
    );
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([
      {
        code: 'key.unknown',
        key: 'payments.retired.flag',
        path: 'changes[0]',
        message:
          'unknown key payments.retired.flag: deleting it works only where an environment still has it',
        severity: 'warning',
      },
    ]);
  });

  it('reports a service that reports no version in the environment', () => {
    expect(
      problemsOf(
        { requires: [{ service: 'checkout-api', range: '>=1' }] },
        { ...inEnvironment, services: undefined },
      ),
    ).toEqual([
      {
        code: 'service.not-deployed',
        path: 'requires[0]',
        message: 'requires checkout-api >=1, but no version of checkout-api is reported in prod-eu',
      },
    ]);
  });

  it('treats a missing snapshot as an empty environment', () => {
    expect(
      problemsOf({ dependsOn: ['identity-session@1'] }, { ...inEnvironment, snapshot: undefined })[0]?.code,
    ).toBe('dependency.not-deployed');
  });
});

describe('validateBundle: every problem at once', () => {
  it('collects problems from every rule in one pass', () => {
    const problems = problemsOf({
      requires: [{ service: 'checkout-api', range: '>=3.0.0' }],
      dependsOn: ['identity-session@2'],
      changes: [
        { set: 'payments.checkout.timeoutMs', value: 1 },
        { set: 'payments.checkout.timoutMs', value: 1 },
        { set: 'identity.session.ttlSeconds', value: 60 },
        { set: 'payments.checkout.mode', value: '${nowhere.key}' },
      ],
    });
    expect(problems.map((p) => p.code)).toEqual([
      'value.invalid',
      'key.unknown',
      'namespace.not-owned',
      'service.version-unsatisfied',
      'dependency.not-deployed',
      'reference.unresolved',
    ]);
  });

  it('stops suggesting after a budget, so a bundle of typos stays fast', () => {
    const changes = Array.from({ length: 60 }, (_, i) => ({
      set: `payments.checkout.timeoutM${i}`,
      value: 1,
    }));
    const problems = problemsOf({ changes });
    expect(problems.filter((p) => p.message.includes('did you mean'))).toHaveLength(50);
    expect(problems).toHaveLength(60);
  });
});

describe('validateBundle in a namespace without parameters', () => {
  it('reports the unknown key without a suggestion', () => {
    const doc = catalogDocument();
    const catalog = catalogSchema.parse({
      ...doc,
      namespaces: [...doc.namespaces, { name: 'sandbox', owner: 'payments' }],
    });
    expect(validateBundle(bundleDocument(set('sandbox.trial.on', true)), { catalog }).problems).toEqual([
      {
        code: 'key.unknown',
        key: 'sandbox.trial.on',
        path: 'changes[0]',
        message: 'unknown key sandbox.trial.on',
      },
    ]);
  });
});

describe('validateBundle at scale', () => {
  it('accepts the benchmark fixture: every key of a large catalog changed at once', () => {
    const size = 2_000;
    const result = validateBundle(largeBundleDocument(size), {
      catalog: largeCatalog(size),
      environment: 'prod',
      snapshot: largeSnapshot(size),
      services: { api: '1.4.0' },
    });
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.next?.values ?? {})).toHaveLength(size);
  });
});
