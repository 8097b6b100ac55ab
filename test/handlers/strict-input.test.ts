import { beforeAll, describe, expect, it } from 'vitest';
import { toIcs } from '#domain/calendar/ics.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';
import { callRaw, type RawRequest } from '../support/raw-call.ts';

const json = { 'content-type': 'application/json' };
const yaml = { 'content-type': 'application/yaml' };
/** "caf\xE9" in Latin-1: the é is not UTF-8. */
const latin1 = (text: string): Uint8Array =>
  Uint8Array.from([...Buffer.from(text, 'utf8'), 0x63, 0x61, 0x66, 0xe9, 0x22, 0x7d]);

const exportedCalendar = toIcs([{ ...yearEnd, level: 'hard', scope: { environments: ['staging'] } }], {
  calendarName: 'Convoy freeze windows',
  stamp: '2026-11-01T00:00:00Z',
});
/** Where the trailing junk starts: the calendar's physical line count plus one. */
const junkLine = exportedCalendar.split('\r\n').filter((l) => l !== '').length + 1;
const strayEvent = [
  'BEGIN:VEVENT',
  'UID:stray',
  'DTSTART:20261124T000000Z',
  'DURATION:P30D',
  'END:VEVENT',
].join('\r\n');

interface Case {
  name: string;
  request: RawRequest;
  problem: { code: string; path: string };
}

const cases: Case[] = [
  {
    name: 'a JSON null freeze body',
    request: { route: 'POST /freezes', headers: json, body: 'null' },
    problem: { code: 'freeze.not-an-object', path: 'body' },
  },
  {
    name: 'a null window in a calendar',
    request: { route: 'POST /freezes', headers: json, body: '{"windows":[null]}' },
    problem: { code: 'freeze.not-an-object', path: 'body.windows[0]' },
  },
  {
    name: 'a number among the windows',
    request: { route: 'POST /freezes', headers: json, body: JSON.stringify({ windows: [yearEnd, 7] }) },
    problem: { code: 'freeze.not-an-object', path: 'body.windows[1]' },
  },
  {
    name: 'a YAML ~ freeze body',
    request: { route: 'POST /freezes', headers: yaml, body: '~\n' },
    problem: { code: 'freeze.not-an-object', path: 'body' },
  },
  {
    name: 'a YAML list as the freeze body',
    request: { route: 'POST /freezes', headers: yaml, body: '- id: a\n' },
    problem: { code: 'freeze.not-an-object', path: 'body' },
  },
  {
    name: 'invalid UTF-8 in a freeze body',
    request: { route: 'POST /freezes', headers: json, body: latin1('{"id":"a","name":"') },
    problem: { code: 'body.encoding', path: 'body' },
  },
  {
    name: 'invalid UTF-8 in a catalog',
    request: { route: 'PUT /catalog', headers: yaml, body: Uint8Array.from([0x61, 0x3a, 0x20, 0xff, 0x0a]) },
    problem: { code: 'body.encoding', path: 'body' },
  },
  {
    name: 'a truncated UTF-8 sequence at the end of a body',
    request: {
      route: 'POST /environments/{env}/deployments',
      path: { env: 'dev' },
      headers: json,
      body: Uint8Array.from([...Buffer.from('{"bundle":"a@1"}'), 0xe2, 0x82]),
    },
    problem: { code: 'body.encoding', path: 'body' },
  },
  {
    name: 'a string body with a lone surrogate',
    request: { route: 'POST /overrides', headers: json, body: '{"reason":"\uD800"}' },
    problem: { code: 'body.encoding', path: 'body' },
  },
  {
    name: 'a duplicate key in a freeze window',
    request: {
      route: 'POST /freezes',
      headers: json,
      body: JSON.stringify(yearEnd).replace('"level":"hard"', '"level":"hard","level":"soft"'),
    },
    problem: { code: 'document.duplicate-key', path: 'body.level' },
  },
  {
    name: 'a duplicate key written with an escape, nested in a calendar',
    request: {
      route: 'POST /freezes',
      headers: json,
      body: '{"windows":[{"scope":{"environments":["dev"],"environ\\u006dents":["prod-*"]}}]}',
    },
    problem: { code: 'document.duplicate-key', path: 'body.windows[0].scope.environments' },
  },
  {
    name: 'a duplicate key in a deploy',
    request: {
      route: 'POST /environments/{env}/deployments',
      path: { env: 'dev' },
      headers: json,
      body: '{"bundle":"checkout-timeouts@3","bundle":"session-ttl@1"}',
    },
    problem: { code: 'document.duplicate-key', path: 'body.bundle' },
  },
  {
    name: 'a duplicate key in YAML',
    request: { route: 'POST /freezes', headers: yaml, body: 'id: a\nid: b\n' },
    problem: { code: 'document.syntax', path: 'body' },
  },
  {
    name: 'a __proto__ key in a freeze window',
    request: {
      route: 'POST /freezes',
      headers: json,
      body: JSON.stringify(yearEnd).replace('{', '{"__proto__":{"level":"soft"},'),
    },
    problem: { code: 'body.reserved-key', path: 'body.__proto__' },
  },
  {
    name: 'a constructor key deep in a calendar',
    request: {
      route: 'POST /freezes',
      headers: json,
      body: JSON.stringify({ windows: [{ ...yearEnd, scope: { constructor: { prototype: 1 } } }] }),
    },
    problem: { code: 'body.reserved-key', path: 'body.windows[0].scope.constructor' },
  },
  {
    name: 'a prototype key in a YAML catalog',
    request: { route: 'PUT /catalog', headers: yaml, body: 'environments: [{ name: dev, prototype: x }]\n' },
    problem: { code: 'body.reserved-key', path: 'body.environments[0].prototype' },
  },
  {
    name: 'a __proto__ key in a rollout action',
    request: {
      route: 'POST /rollouts/{id}/{action}',
      path: { id: 'r1', action: 'abort' },
      headers: json,
      body: '{"reason":"x","__proto__":{"reason":"y"}}',
    },
    problem: { code: 'body.reserved-key', path: 'body.__proto__' },
  },
  {
    name: 'a calendar followed by junk',
    request: { route: 'POST /freezes/import', body: `${exportedCalendar}this is not iCalendar\r\n` },
    problem: { code: 'freeze.ics-syntax', path: `line ${junkLine}` },
  },
  {
    name: 'a calendar followed by a stray event',
    request: { route: 'POST /freezes/import', body: `${exportedCalendar}${strayEvent}\r\n` },
    problem: { code: 'freeze.ics-syntax', path: `line ${junkLine}` },
  },
  {
    name: 'a calendar followed by junk, even with skipInvalid',
    request: {
      route: 'POST /freezes/import',
      query: { skipInvalid: 'true' },
      body: `${exportedCalendar}${strayEvent}\r\n`,
    },
    problem: { code: 'freeze.ics-syntax', path: `line ${junkLine}` },
  },
  {
    name: 'a calendar never closed',
    request: { route: 'POST /freezes/import', body: exportedCalendar.replace('END:VCALENDAR\r\n', '') },
    problem: { code: 'freeze.ics-syntax', path: 'line 1' },
  },
  {
    name: 'a blank body',
    request: { route: 'POST /freezes', headers: json, body: '  \n' },
    problem: { code: 'body.required', path: 'body' },
  },
  {
    name: 'an unsupported content-type',
    request: { route: 'POST /freezes', headers: { 'content-type': 'text/csv' }, body: 'a,b' },
    problem: { code: 'header.content-type', path: 'header.content-type' },
  },
];

describe('strict input: bad bodies are 400 naming the field and the rule, and write nothing', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it.each(cases)('$name', async ({ request, problem }) => {
    const before = await api.table.dump();
    const published = api.integrations.published.length;
    const res = await callRaw(api.handlers, request);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json).toMatchObject({
      type: 'https://convoy.dev/problems/bad-request',
      title: 'Bad request',
      status: 400,
      code: 'bad-request',
      detail: expect.any(String),
    });
    expect(res.json.problems).toContainEqual(expect.objectContaining(problem));
    for (const found of res.json.problems as { message: unknown }[])
      expect(found.message).toEqual(expect.any(String));
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.published).toHaveLength(published);
  });

  it('names the line and column of a duplicate key', async () => {
    const res = await callRaw(api.handlers, {
      route: 'POST /freezes',
      headers: json,
      body: '{\n  "id": "a",\n  "id": "b"\n}',
    });
    expect(res.json.problems).toEqual([
      {
        code: 'document.duplicate-key',
        path: 'body.id',
        message: 'line 3, column 3: "id" is given twice in one object; give each key once',
      },
    ]);
  });

  it('still imports the same calendar without the junk', async () => {
    const res = await callRaw(api.handlers, { route: 'POST /freezes/import', body: exportedCalendar });
    expect(res.status).toBe(201);
    expect(res.json.windows).toEqual([{ id: 'year-end', created: true, changed: true }]);
  });

  it('still reads a UTF-8 body sent base64-encoded', async () => {
    const res = await callRaw(api.handlers, {
      route: 'POST /freezes',
      headers: json,
      body: Buffer.from(JSON.stringify({ ...yearEnd, id: 'noel', name: 'Noël' })),
    });
    expect(res.status).toBe(201);
  });
});
