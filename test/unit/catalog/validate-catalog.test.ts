import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogLocksOut, validateCatalog } from '#domain/catalog/validate-catalog.ts';
import { catalogDocument, sampleCatalog } from '../support/catalog.ts';

type Doc = ReturnType<typeof catalogDocument>;
const withChange = (change: (doc: Doc) => void): Doc => {
  const doc = catalogDocument();
  change(doc);
  return doc;
};
const parameter = (extra: Record<string, unknown>) => (doc: Doc) => {
  doc.parameters.push(extra as Doc['parameters'][number]);
};

const problemsOf = (input: unknown) => {
  const result = validateCatalog(input);
  return result.problems.map(({ code, key, path, message, severity }) => ({
    code,
    key,
    path,
    message,
    severity,
  }));
};

describe('validateCatalog', () => {
  it('accepts the sample catalog without problems', () => {
    expect(validateCatalog(catalogDocument())).toEqual({ ok: true, catalog: sampleCatalog(), problems: [] });
  });

  it.each([
    [
      'a duplicate environment',
      (doc: Doc) => doc.environments.push({ name: 'dev' }),
      {
        code: 'catalog.duplicate',
        path: 'environments[4].name',
        message: 'environment dev is declared twice (first at environments[0])',
      },
    ],
    [
      'a duplicate team',
      (doc: Doc) => doc.teams.push({ name: 'identity' }),
      {
        code: 'catalog.duplicate',
        path: 'teams[2].name',
        message: 'team identity is declared twice (first at teams[1])',
      },
    ],
    [
      'a duplicate namespace',
      (doc: Doc) => doc.namespaces.push({ name: 'payments', owner: 'identity' }),
      {
        code: 'catalog.duplicate',
        path: 'namespaces[2].name',
        message: 'namespace payments is declared twice (first at namespaces[0])',
      },
    ],
    [
      'a duplicate parameter',
      parameter({ key: 'payments.checkout.mode', type: 'string' }),
      {
        code: 'catalog.duplicate',
        path: 'parameters[11].key',
        message: 'parameter payments.checkout.mode is declared twice (first at parameters[2])',
      },
    ],
    [
      'a duplicate service',
      (doc: Doc) => doc.services.push({ name: 'session-api', team: 'identity', consumes: [] }),
      {
        code: 'catalog.duplicate',
        path: 'services[2].name',
        message: 'service session-api is declared twice (first at services[1])',
      },
    ],
    [
      'a namespace owned by an unknown team',
      (doc: Doc) => doc.namespaces.push({ name: 'search', owner: 'search' }),
      {
        code: 'catalog.owner-unknown',
        path: 'namespaces[2].owner',
        message: 'namespace search is owned by search, which is not a team in the catalog',
      },
    ],
    [
      'a parameter in an undeclared namespace',
      parameter({ key: 'search.index.shards', type: 'integer' }),
      {
        code: 'catalog.namespace-undeclared',
        key: 'search.index.shards',
        path: 'parameters[11].key',
        message: 'namespace search of search.index.shards is not declared in namespaces',
      },
    ],
    [
      'a default that does not fit',
      parameter({ key: 'payments.x.port', type: 'integer', max: 65535, default: 70000 }),
      {
        code: 'catalog.default-invalid',
        key: 'payments.x.port',
        path: 'parameters[11].default',
        message: 'default must be an integer <= 65535, got 70000',
      },
    ],
    [
      'a default that resolves to a misfit',
      parameter({ key: 'payments.x.count', type: 'integer', default: '${payments.checkout.mode}' }),
      {
        code: 'catalog.default-invalid',
        key: 'payments.x.count',
        message: 'default resolves to "safe", which must be an integer, got "safe"',
      },
    ],
    [
      'an invalid pattern',
      parameter({ key: 'payments.x.name', type: 'string', pattern: '([a-z]' }),
      {
        code: 'catalog.pattern-invalid',
        key: 'payments.x.name',
        path: 'parameters[11].pattern',
        message: 'pattern /([a-z]/ is not a valid regular expression',
      },
    ],
    [
      'an invalid JSON Schema',
      parameter({ key: 'payments.x.rules', type: 'json', schema: { type: 'objekt' } }),
      {
        code: 'catalog.json-schema-invalid',
        key: 'payments.x.rules',
        path: 'parameters[11].schema',
        message:
          'the JSON Schema is invalid: schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf',
      },
    ],
    [
      'integer min above max',
      parameter({ key: 'payments.x.n', type: 'integer', min: 10, max: 1 }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.n',
        path: 'parameters[11]',
        message: 'min 10 is greater than max 1',
      },
    ],
    [
      'number min above max',
      parameter({ key: 'payments.x.r', type: 'number', min: 0.5, max: 0.1 }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.r',
        path: 'parameters[11]',
        message: 'min 0.5 is greater than max 0.1',
      },
    ],
    [
      'minLength above maxLength',
      parameter({ key: 'payments.x.s', type: 'string', minLength: 5, maxLength: 2 }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.s',
        path: 'parameters[11]',
        message: 'minLength 5 is greater than maxLength 2',
      },
    ],
    [
      'duration min above max',
      parameter({ key: 'payments.x.d', type: 'duration', min: 'PT2H', max: 'PT1H' }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.d',
        path: 'parameters[11]',
        message: 'min PT2H is greater than max PT1H',
      },
    ],
    [
      'a duration bound that is not a duration',
      parameter({ key: 'payments.x.d', type: 'duration', min: '5m' }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.d',
        path: 'parameters[11].min',
        message: 'min "5m" is not an ISO 8601 duration such as PT5M',
      },
    ],
    [
      'a duration bound in months',
      parameter({ key: 'payments.x.d', type: 'duration', max: 'P1M' }),
      {
        code: 'catalog.range-invalid',
        key: 'payments.x.d',
        path: 'parameters[11].max',
        message: 'max "P1M" uses years or months, whose length varies; use days or weeks',
      },
    ],
    [
      'a service of an unknown team',
      (doc: Doc) => doc.services.push({ name: 'search-api', team: 'search', consumes: [] }),
      {
        code: 'catalog.team-unknown',
        path: 'services[2].team',
        message: 'service search-api belongs to search, which is not a team in the catalog',
      },
    ],
    [
      'a role for an unknown team',
      (doc: Doc) => doc.roles.push({ principal: 'sam', roles: ['viewer', 'team:search'] }),
      {
        code: 'catalog.role-team-unknown',
        path: 'roles[5].roles[1]',
        message: 'role team:search of sam names search, which is not a team in the catalog',
      },
    ],
    [
      'a default referencing an unknown key',
      parameter({ key: 'payments.x.url', type: 'string', default: 'https://${payments.x.host}/' }),
      {
        code: 'catalog.reference-unresolved',
        key: 'payments.x.url',
        path: 'parameters[11].default',
        message:
          'default of payments.x.url references payments.x.host, which is not a parameter in the catalog',
      },
    ],
    [
      'a service consuming nothing (a warning)',
      (doc: Doc) => doc.services.push({ name: 'search-api', team: 'payments', consumes: ['search.*'] }),
      {
        code: 'catalog.consumes-nothing',
        path: 'services[2].consumes[0]',
        message: 'service search-api consumes search.*, which matches no parameter',
        severity: 'warning',
      },
    ],
  ])('reports %s', (_, change, expected) => {
    expect(problemsOf(withChange(change))).toEqual([
      { key: undefined, path: undefined, severity: undefined, ...expected },
    ]);
  });

  it('reports a default reference cycle with its path', () => {
    const doc = withChange((d) => {
      d.parameters.push(
        { key: 'payments.x.a', type: 'integer', default: '${payments.x.b}' },
        { key: 'payments.x.b', type: 'integer', default: '${payments.x.a}' },
        { key: 'payments.x.c', type: 'integer', default: '${payments.x.a}' },
      );
    });
    expect(problemsOf(doc)).toEqual([
      {
        code: 'catalog.reference-cycle',
        key: 'payments.x.a',
        path: undefined,
        severity: undefined,
        message: 'default references form a cycle: payments.x.a → payments.x.b → payments.x.a',
      },
    ]);
  });

  it('allows a default referencing a parameter whose value each environment sets', () => {
    const doc = withChange(
      parameter({ key: 'payments.x.flag', type: 'boolean', default: '${payments.checkout.legacyMode}' }),
    );
    expect(validateCatalog(doc).ok).toBe(true);
  });

  it('keeps the catalog when only warnings remain', () => {
    const doc = withChange((d) =>
      d.services.push({ name: 'search-api', team: 'payments', consumes: ['nothing.*'] }),
    );
    const result = validateCatalog(doc);
    expect(result.ok && result.catalog.services).toHaveLength(3);
  });

  it('reports every problem at once', () => {
    const doc = withChange((d) => {
      d.environments.push({ name: 'dev' });
      d.namespaces.push({ name: 'search', owner: 'search' });
      d.parameters.push({ key: 'ghost.a.b', type: 'integer', default: 'x' });
    });
    expect(problemsOf(doc).map((p) => p.code)).toEqual([
      'catalog.duplicate',
      'catalog.owner-unknown',
      'catalog.namespace-undeclared',
      'catalog.default-invalid',
    ]);
  });

  it('an AppConfig binding gives each sink its own profile (flagsProfile, flagSetProfile)', () => {
    const bind = (appconfig: Record<string, string>) =>
      withChange((d) => {
        (d.environments[0] as Record<string, unknown>).appconfig = {
          application: 'shop',
          environment: 'dev',
          profile: 'config',
          deploymentStrategy: 'AllAtOnce',
          ...appconfig,
        };
      });
    expect(validateCatalog(bind({ flagsProfile: 'flags', flagSetProfile: 'flag-set' })).ok).toBe(true);
    expect(validateCatalog(bind({ flagSetProfile: 'flag-set' })).ok).toBe(true);
    expect(problemsOf(bind({ flagsProfile: 'flags', flagSetProfile: 'flags' }))).toEqual([
      {
        code: 'catalog.appconfig-profile-shared',
        key: undefined,
        path: 'environments[0].appconfig.flagSetProfile',
        message:
          'flagSetProfile of dev names profile flags, which flagsProfile already names; each sink needs its own profile',
        severity: undefined,
      },
    ]);
    expect(problemsOf(bind({ flagsProfile: 'config' })).map((p) => [p.code, p.path])).toEqual([
      ['catalog.appconfig-profile-shared', 'environments[0].appconfig.flagsProfile'],
    ]);
    expect(problemsOf(bind({ flagSetProfile: '' })).map((p) => p.path)).toEqual([
      'environments[0].appconfig.flagSetProfile',
    ]);
  });

  it('returns field problems for structural errors', () => {
    expect(problemsOf({ environments: [{ name: 'dev' }], extra: true })).toEqual([
      {
        code: 'field.unknown',
        key: undefined,
        path: 'extra',
        message: 'unknown field "extra"',
        severity: undefined,
      },
    ]);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(typeof validateCatalog(input).ok).toBe('boolean');
      }),
    );
  });
});

describe('catalogLocksOut', () => {
  it.each([
    ['olivia', false],
    ['priya', true],
    ['nobody', true],
  ])('%s → %s', (principal, locked) => {
    expect(catalogLocksOut(sampleCatalog(), principal)).toBe(locked);
  });
});
