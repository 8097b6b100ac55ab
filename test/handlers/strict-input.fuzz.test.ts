import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#functions/shared/request.ts';
import { routeKey, routes } from '#api/routes.ts';
import { NAME_PATTERN, VERSION_PATTERN } from '#domain/core/names.ts';
import { toIcs } from '#domain/calendar/ics.ts';
import { isValidTimeZone } from '#domain/freeze/local-time.ts';
import { checkoutTimeouts } from '../fixtures/bundles.ts';
import { createTestApi, fixtureCatalogYaml, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';
import { callRaw, type RawRequest } from '../support/raw-call.ts';

/**
 * Issue 10, item 4: whatever a client sends to a write route, the answer is a 4xx problem, never a
 * 5xx, and nothing is written. Every generated request is invalid by construction: a broken body
 * (invalid UTF-8, duplicate or prototype keys, not an object, YAML sent as JSON, truncated, a wrong
 * type, an oversize or hostile string, an unknown field, too deep, too large), or a valid body with a
 * broken path parameter, query parameter or header. So every write the table shows is a bug.
 */

type Path = (string | number)[];
type Doc = Record<string, unknown>;

/** A field that only strings of a pattern (and of at most `max` characters) satisfy. */
interface Field {
  at: Path;
  valid: RegExp;
  max: number;
}

interface Template {
  body: Doc | string;
  fields?: Field[];
  /** Query parameters the route validates (strictly), with their valid values. */
  query?: Record<string, { value: string; valid: (v: string) => boolean }>;
  /** Headers the route validates, with their valid shapes. */
  headers?: Record<string, RegExp>;
  /**
   * The route takes no body and no parameters: only what every route refuses (bytes that are not
   * UTF-8, an oversize body) or a caller without the right makes its request invalid.
   */
  bodyless?: true;
}

const NAME: Omit<Field, 'at'> = { valid: NAME_PATTERN, max: 63 };
const BUNDLE_REF = /^[a-z0-9][a-z0-9-]{0,62}@[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const name = (...at: Path): Field => ({ at, ...NAME });
const IF_MATCH = /^"?\d{1,12}"?$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const pathParams: Record<string, { value: string; valid: RegExp }> = {
  env: { value: 'dev', valid: NAME_PATTERN },
  name: { value: 'checkout-timeouts', valid: NAME_PATTERN },
  version: { value: '3', valid: VERSION_PATTERN },
  service: { value: 'checkout-api', valid: NAME_PATTERN },
  id: { value: 'fuzz-nothing', valid: NAME_PATTERN },
  action: { value: 'abort', valid: /^(pause|resume|abort|promote|approve|reject)$/ },
};

const window = { ...yearEnd, id: 'fuzz-window', level: 'hard' as const };
const calendar = toIcs([window], { calendarName: 'fuzz', stamp: '2026-11-01T00:00:00Z' });

/** A valid request of each write route; the generators below break it. */
const templates: Record<string, Template[]> = {
  'PUT /catalog': [
    {
      body: parse(fixtureCatalogYaml) as Doc,
      fields: [name('environments', 0, 'name'), name('teams', 1, 'name'), name('namespaces', 0, 'owner')],
      headers: { 'if-match': IF_MATCH },
    },
  ],
  'POST /bundles': [{ body: checkoutTimeouts, fields: [name('name'), name('team')] }],
  'POST /bundles/{name}/versions/{version}/validate': [
    { body: {}, query: { env: { value: 'dev', valid: (v) => NAME_PATTERN.test(v) } } },
  ],
  'POST /environments/{env}/deployments': [
    {
      body: { bundle: 'checkout-timeouts@3' },
      fields: [{ at: ['bundle'], valid: BUNDLE_REF, max: 100 }],
      headers: { 'if-match': IF_MATCH, 'idempotency-key': IDEMPOTENCY_KEY },
    },
  ],
  'POST /environments/{env}/rollback': [
    { body: { override: 'nope' }, fields: [name('override')], headers: { 'if-match': IF_MATCH } },
  ],
  'POST /environments/{env}/sync': [{ body: {} }],
  'POST /environments/{env}/flags/{key}/{action}': [
    {
      body: { reason: 'checkout errors' },
      fields: [name('override')],
      headers: { 'if-match': IF_MATCH, 'idempotency-key': IDEMPOTENCY_KEY },
    },
  ],
  'PUT /environments/{env}/services/{service}': [
    {
      body: { version: '2.4.0' },
      fields: [{ at: ['version'], valid: /^v?\d+\.\d+\.\d+(?:[-+].*)?$/, max: 64 }],
    },
  ],
  'POST /environments/{env}/flags/metrics': [
    {
      body: {
        appName: 'checkout',
        bucket: {
          start: '2026-11-23T09:00:00Z',
          stop: '2026-11-23T09:01:00Z',
          counts: [{ flag: 'payments.checkout.newFlow', variant: 'on', reason: 'SPLIT', count: 3 }],
        },
      },
    },
  ],
  'PUT /releases/{name}': [
    {
      body: {
        name: 'checkout-timeouts',
        targetDate: '2026-12-15',
        owner: 'olivia',
        bundles: ['checkout-timeouts'],
      },
    },
  ],
  'POST /releases/{name}/signoffs': [{ body: { team: 'payments', note: 'ok' }, fields: [name('team')] }],
  'POST /releases/{name}/deployments': [
    {
      body: { environment: 'dev' },
      fields: [name('environment')],
      headers: { 'if-match': IF_MATCH, 'idempotency-key': IDEMPOTENCY_KEY },
    },
  ],
  'POST /releases/{name}/rollback': [
    {
      body: { environment: 'dev' },
      fields: [name('environment')],
      headers: { 'if-match': IF_MATCH, 'idempotency-key': IDEMPOTENCY_KEY },
    },
  ],
  'POST /freezes': [
    { body: window, fields: [name('id'), { at: ['level'], valid: /^(hard|soft)$/, max: 4 }] },
    { body: { windows: [window] }, fields: [name('windows', 0, 'id')] },
  ],
  'POST /freezes/import': [
    {
      body: calendar,
      query: {
        level: { value: 'soft', valid: (v) => v === 'hard' || v === 'soft' },
        timezone: { value: 'Europe/Berlin', valid: (v) => v.length <= 64 && isValidTimeZone(v) },
        skipInvalid: { value: 'true', valid: (v) => v === 'true' || v === 'false' },
      },
    },
  ],
  'DELETE /freezes/{id}': [{ body: {} }],
  'POST /overrides': [
    {
      body: {
        environment: 'prod-eu',
        bundle: 'checkout-timeouts@3',
        reason: 'The checkout is down and this fixes it',
        ticket: 'INC-1',
      },
      fields: [name('environment'), { at: ['bundle'], valid: BUNDLE_REF, max: 100 }],
    },
  ],
  'POST /overrides/{id}/approve': [{ body: { comment: 'ok' } }],
  'POST /overrides/{id}/reject': [{ body: { reason: 'no' } }],
  'POST /rollouts': [
    {
      body: { bundle: 'checkout-timeouts@3', strategy: 'canary' },
      fields: [{ at: ['bundle'], valid: BUNDLE_REF, max: 100 }],
      headers: { 'idempotency-key': IDEMPOTENCY_KEY },
    },
  ],
  'POST /rollouts/{id}/{action}': [{ body: { reason: 'why not' } }],
  'POST /audit/checkpoints': [{ body: {}, bodyless: true }],
};

/**
 * The OFREP POSTs (group `flags`) are left out on purpose: they are reads (nothing to write), and the
 * protocol's evaluation context is open (any attribute, any extra member), so most "broken" bodies
 * here are valid contexts there. test/handlers/flags.test.ts checks their malformed bodies instead.
 * POST /impact (group `dependencies`) is a read too; test/handlers/dependencies.test.ts checks its bodies.
 */
const writeRoutes = routes
  .filter((r) => r.method !== 'GET' && r.group !== 'flags' && r.group !== 'dependencies')
  .map(routeKey);

// ---- Text and values ----

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '%00',
    '\u0000',
    '#',
    'a#b',
    '__proto__',
    'constructor',
    '${x}',
    'NaN',
  ),
);
const unlike = (valid: (v: string) => boolean) => hostileText.filter((text) => !valid(text));
const jsonish = fc.jsonValue({ maxDepth: 3 });
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(jsonish, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), jsonish, { maxKeys: 3 }),
);
const oversize = (max: number) =>
  fc
    .tuple(fc.integer({ min: max + 1, max: max + 60_000 }), fc.constantFrom('a', 'é', '\u0000', '💥', '-'))
    .map(([length, unit]) => unit.repeat(length));

// ---- JSON text with members the object model cannot hold (duplicates, __proto__) ----

const same = (a: Path, b: Path): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** JSON text of `value`, with raw members appended to the object at `at`. */
const jsonWith = (value: unknown, at: Path, extra: string): string => {
  const write = (node: unknown, path: Path): string => {
    if (Array.isArray(node)) return `[${node.map((child, i) => write(child, [...path, i])).join(',')}]`;
    if (node !== null && typeof node === 'object') {
      const members = Object.entries(node).map(
        ([k, child]) => `${JSON.stringify(k)}:${write(child, [...path, k])}`,
      );
      if (same(path, at)) members.push(extra);
      return `{${members.join(',')}}`;
    }
    return JSON.stringify(node);
  };
  return write(value, []);
};

const objectsOf = (value: unknown, path: Path = []): { path: Path; keys: string[] }[] => {
  if (Array.isArray(value)) return value.flatMap((child, i) => objectsOf(child, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return [
    { path, keys: Object.keys(value) },
    ...Object.entries(value).flatMap(([k, child]) => objectsOf(child, [...path, k])),
  ];
};

/** `"a"` or `"\u0061"`: the same key to JSON.parse, not to a naive text search. */
const keyText = (key: string, escaped: boolean): string =>
  escaped
    ? `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(key).slice(2)}`
    : JSON.stringify(key);

const setAt = (doc: unknown, at: Path, value: unknown): unknown => {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  at.slice(0, -1).forEach((key) => (node = node[key] as Record<string | number, unknown>));
  node[at.at(-1) as string | number] = value;
  return copy;
};

/** Valid UTF-8 never survives these: each is invalid wherever it is inserted. */
const badUtf8 = fc.constantFrom(
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xed, 0xa0, 0x80],
  [0x80],
  [0xe2, 0x82, 0x28],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
);
const withBadBytes = (text: string) =>
  fc.tuple(badUtf8, fc.nat()).map(([bad, at]) => {
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.length === 0 ? 0 : at % (bytes.length + 1);
    return Uint8Array.from([...bytes.subarray(0, cut), ...bad, ...bytes.subarray(cut)]);
  });

const giant = `{"x":"${'a'.repeat(MAX_BODY_BYTES)}"}`;
const jsonType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
);
const anyType = fc.constantFrom<string | undefined>(
  undefined,
  'application/json',
  'application/yaml',
  'text/plain',
  'text/yaml',
);

interface Broken {
  body: string | Uint8Array;
  contentType?: string | undefined;
}

/** Bodies no route may accept, derived from a valid JSON document. */
const brokenDocument = (doc: Doc, fields: Field[]): fc.Arbitrary<Broken> => {
  const objects = objectsOf(doc);
  const text = JSON.stringify(doc);
  const arbitraries: fc.Arbitrary<Broken>[] = [
    withBadBytes(text).map((body) => ({ body })),
    fc
      .tuple(fc.constantFrom(...objects), fc.nat(), jsonish, fc.boolean(), anyType)
      .map(([object, pick, value, escaped, contentType]) => {
        const key = object.keys.length === 0 ? 'zz' : (object.keys[pick % object.keys.length] as string);
        const extra =
          object.keys.length === 0
            ? `"zz":1,${keyText(key, escaped)}:${JSON.stringify(value)}`
            : `${keyText(key, escaped)}:${JSON.stringify(value)}`;
        return { body: jsonWith(doc, object.path, extra), contentType };
      }),
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        jsonish,
        fc.boolean(),
        anyType,
      )
      .map(([object, key, value, escaped, contentType]) => ({
        body: jsonWith(doc, object.path, `${keyText(key, escaped)}:${JSON.stringify(value)}`),
        contentType,
      })),
    fc
      .oneof(
        fc.constant(null),
        fc.integer(),
        fc.boolean(),
        fc.string({ maxLength: 20 }),
        fc.array(jsonish, { maxLength: 3 }),
      )
      .chain((value) =>
        fc.constantFrom<Broken>(
          { body: JSON.stringify(value), contentType: 'application/json' },
          { body: stringify(value), contentType: 'application/yaml' },
        ),
      ),
    fc.constantFrom<Broken>(
      { body: '~\n', contentType: 'application/yaml' },
      { body: '# nothing\n', contentType: 'application/yaml' },
      { body: '   \n', contentType: 'application/json' },
    ),
    jsonType.map((contentType) => ({ body: `# yaml\n${stringify(doc)}`, contentType })),
    fc
      .integer({ min: 1, max: Math.max(1, text.length - 1) })
      .map((cut) => ({ body: text.slice(0, cut), contentType: 'application/json' })),
    fc
      .tuple(fc.string({ minLength: 1, maxLength: 20 }), jsonish, anyType)
      .map(([key, value, contentType]) => ({
        body: JSON.stringify({ ...doc, [`zz-${key}`]: value }),
        contentType,
      })),
    fc
      .tuple(fc.dictionary(fc.string({ maxLength: 8 }), jsonish, { maxKeys: 4 }), anyType)
      .map(([extra, contentType]) => ({
        body: JSON.stringify({ ...extra, 'zz-unknown': 1 }),
        contentType,
      })),
    fc.integer({ min: 65, max: 3000 }).map((depth) => ({
      body: `${'['.repeat(depth)}${']'.repeat(depth)}`,
      contentType: 'application/json',
    })),
    fc.constant({ body: giant, contentType: 'application/json' }),
    fc
      .constantFrom('text/csv', 'application/xml', 'multipart/form-data')
      .map((contentType) => ({ body: text, contentType })),
  ];
  for (const field of fields) {
    const valid = (v: string): boolean => v.length <= field.max && field.valid.test(v);
    arbitraries.push(
      fc
        .tuple(fc.oneof(wrongType, unlike(valid), oversize(field.max)), anyType)
        .map(([value, contentType]) => ({
          body: JSON.stringify(setAt(doc, field.at, value)),
          contentType,
        })),
    );
  }
  return fc.oneof(...arbitraries);
};

/** Calendars no import may accept. */
const brokenCalendar = (ics: string): fc.Arbitrary<Broken> => {
  const end = ics.lastIndexOf('END:VCALENDAR') + 'END:VCALENDAR'.length - 1;
  return fc.oneof(
    withBadBytes(ics).map((body) => ({ body })),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 200 })
      .filter((junk) => junk.trim() !== '')
      .map((junk) => ({ body: `${ics}${junk}` })),
    fc
      .constantFrom(
        'BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20261124T000000Z\r\nDURATION:P30D\r\nEND:VEVENT',
        'END:VCALENDAR',
        'BEGIN:VCALENDAR',
      )
      .map((junk) => ({ body: `${ics}${junk}\r\n` })),
    fc.integer({ min: 0, max: end }).map((cut) => ({ body: ics.slice(0, cut) })),
    fc
      .string({ unit: 'binary', maxLength: 300 })
      .filter((text) => !text.includes('BEGIN:VCALENDAR'))
      .map((body) => ({ body: body === '' ? ' ' : body })),
    fc
      .constantFrom(
        'DTSTART:nope',
        'DTSTART;TZID=Mars/Olympus:20261201T000000',
        'RRULE:FREQ=SOMETIMES',
        'X-CONVOY-LEVEL:frozen',
        'EXDATE:20261201T000000Z',
      )
      .map((line) => ({
        body: line.startsWith('DTSTART')
          ? ics.replace(/DTSTART[^\r\n]*/, line)
          : ics.replace('END:VEVENT', `${line}\r\nEND:VEVENT`),
      })),
    fc.constant({ body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' }),
    fc.constant({ body: JSON.stringify(window), contentType: 'application/json' }),
  );
};

// ---- Requests ----

const paramsOf = (route: string): string[] => [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
const validPath = (route: string): Record<string, string> =>
  Object.fromEntries(paramsOf(route).map((p) => [p, pathParams[p]?.value ?? 'x']));
const noise = fc.dictionary(fc.constantFrom('zz', 'x-trace', 'debug', '__proto__'), hostileText, {
  maxKeys: 2,
});
const principal = fc.constantFrom('olivia', 'olivia', 'olivia', 'vera', 'mallory');

const requestsOf = (route: string, template: Template): fc.Arbitrary<RawRequest> => {
  const params = paramsOf(route);
  const validQuery = Object.fromEntries(Object.entries(template.query ?? {}).map(([k, q]) => [k, q.value]));
  const validBody: Broken =
    typeof template.body === 'string'
      ? { body: template.body }
      : { body: JSON.stringify(template.body), contentType: 'application/json' };
  const make = (broken: Broken, extra: Partial<RawRequest> = {}): RawRequest => ({
    route,
    ...(params.length > 0 ? { path: validPath(route) } : {}),
    headers: broken.contentType === undefined ? {} : { 'content-type': broken.contentType },
    body: broken.body,
    ...extra,
  });
  // A route that reads no query ignores it: noise there, never the one broken part.
  const bodies = (
    typeof template.body === 'string'
      ? brokenCalendar(template.body)
      : template.bodyless
        ? fc.oneof(
            withBadBytes('{}').map((body): Broken => ({ body })),
            fc.constant<Broken>({ body: giant, contentType: 'application/json' }),
          )
        : brokenDocument(template.body, template.fields ?? [])
  ).chain((broken) =>
    fc
      .tuple(template.query ? fc.constant(validQuery) : noise, principal)
      .map(([query, as]) => make(broken, { query, as })),
  );
  const options: fc.Arbitrary<RawRequest>[] = [bodies];
  if (params.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...params), fc.string({ unit: 'binary', maxLength: 100 }))
        .filter(([param, value]) => !(pathParams[param]?.valid.test(value) ?? false))
        .map(([param, value]) =>
          make(validBody, { path: { ...validPath(route), [param]: value }, query: validQuery }),
        ),
    );
  }
  const query = template.query;
  if (query !== undefined) {
    const keys = Object.keys(query);
    options.push(
      fc
        .oneof(
          fc
            .tuple(fc.constantFrom(...keys), hostileText)
            .filter(([key, value]) => !(query[key]?.valid(value) ?? false))
            .map(([key, value]) => ({ ...validQuery, [key]: value })),
          fc
            .tuple(fc.string({ minLength: 1, maxLength: 10 }), hostileText)
            .filter(([key]) => !keys.includes(key))
            .map(([key, value]) => ({ ...validQuery, [key]: value })),
        )
        .map((q) => make(validBody, { query: q })),
    );
  }
  const headers = template.headers;
  if (headers !== undefined) {
    options.push(
      fc
        .tuple(fc.constantFrom(...Object.keys(headers)), hostileText)
        .filter(([header, value]) => !(headers[header]?.test(value) ?? false))
        .map(([header, value]) => {
          const request = make(validBody);
          return { ...request, headers: { ...request.headers, [header]: value } };
        }),
    );
  }
  return fc.oneof(...options);
};

const anyRequest = fc.oneof(
  ...Object.entries(templates).flatMap(([route, list]) => list.map((t) => requestsOf(route, t))),
);

/** A request in one line: route, parameters, headers and the start of its body. */
const describeRequest = (request: RawRequest | undefined): string => {
  if (request === undefined) return '';
  const { body, ...rest } = request;
  const shown =
    body === undefined
      ? ''
      : typeof body === 'string'
        ? JSON.stringify(body.slice(0, 200))
        : `bytes ${Buffer.from(body).subarray(0, 100).toString('hex')}`;
  return `${JSON.stringify(rest)} ${shown}`;
};

const BATCH = 50;
const RUNS = 200;

describe('fuzz: no write route answers 5xx or writes anything for invalid input', () => {
  let api: TestApi;
  let seeded: Record<string, unknown>[];
  let sent = 0;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    seeded = await api.table.dump();
  });

  afterAll(() => {
    // For the record: how many requests ran, and how they were answered.
    console.info(`strict-input fuzz: ${sent} requests`, Object.fromEntries([...statuses].sort()));
  });

  it('has a template for every write route', () => {
    expect(Object.keys(templates).sort()).toEqual([...writeRoutes].sort());
  });

  it(
    `answers ${BATCH * RUNS} invalid requests with 4xx problems and writes nothing`,
    { timeout: 120_000 },
    async () => {
      const integrations = api.integrations;
      const property = fc.asyncProperty(
        fc.array(anyRequest, { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          const answers = await Promise.all(batch.map((request) => callRaw(api.handlers, request)));
          sent += batch.length;
          answers.forEach((answer, i) => {
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const context = `${describeRequest(batch[i])} → ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`;
            expect(answer.status, context).toBeGreaterThanOrEqual(400);
            expect(answer.status, context).toBeLessThan(500);
            expect(answer.headers['content-type'], context).toBe('application/problem+json');
            expect(answer.json, context).toMatchObject({
              type: expect.any(String),
              title: expect.any(String),
              status: answer.status,
              code: expect.any(String),
              detail: expect.any(String),
            });
          });
          const items = await api.table.dump();
          const written = items.filter(
            (item) => !seeded.some((s) => JSON.stringify(s) === JSON.stringify(item)),
          );
          expect(
            written.map((item) => JSON.stringify(item).slice(0, 200)),
            batch.map(describeRequest).join('\n'),
          ).toEqual([]);
          expect(items).toEqual(seeded);
          expect(integrations.published).toEqual([]);
          expect(integrations.started).toEqual([]);
          expect([...integrations.armed.keys()]).toEqual([]);
        },
      );
      // fc.check, not fc.assert: the report names the failing request, not a batch of 50 bodies.
      const result = await fc.check(property, { numRuns: RUNS, endOnFailure: true });
      if (result.failed) {
        const error =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        throw new Error(`seed ${result.seed}, path ${result.counterexamplePath ?? ''}: ${error}`);
      }
      expect(sent).toBeGreaterThanOrEqual(10_000);
      const audit = (await api.table.dump()).filter(
        (item) => (item as { type?: { S?: string } }).type?.S === 'audit',
      );
      expect(audit).toEqual(seeded.filter((item) => (item as { type?: { S?: string } }).type?.S === 'audit'));
    },
  );
});
