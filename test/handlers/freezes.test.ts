import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createTestApi, type TestApi } from '../support/api.ts';
import { at, paymentsLaunch, seedFreezeWorld, weekend, yearEnd } from '../support/freeze.ts';

const ics = (events: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
const icsEvent = (uid: string, lines: string[]): string =>
  ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T000000Z', `SUMMARY:${uid}`, ...lines, 'END:VEVENT'].join(
    '\r\n',
  );

describe('freeze window routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi();
    await seedFreezeWorld(api);
  });
  beforeEach(() => {
    at(api, '2026-11-23T10:00:00Z');
  });

  it('creates a window, arms its next edge and lists it', async () => {
    const res = await api.call('POST', '/freezes', { body: yearEnd });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ windows: [{ id: 'year-end', created: true, changed: true }] });
    expect(api.integrations.armed.get('convoy-freeze-year-end')).toEqual({
      at: '2026-12-20T00:00:00.000Z',
      payload: { reason: 'window-start', windowId: 'year-end' },
    });
    expect((await api.call('GET', '/freezes', { as: 'vera' })).json).toEqual({ windows: [yearEnd] });
    expect((await api.call('GET', '/freezes/year-end', { as: 'priya' })).json).toEqual(yearEnd);
    expect((await api.call('GET', '/freezes/nope')).status).toBe(404);
  });

  it('takes a YAML calendar of windows, and a retry of it changes nothing', async () => {
    const calendar = stringify({ windows: [paymentsLaunch, weekend] });
    const headers = { 'content-type': 'application/yaml' };
    const first = await api.call('POST', '/freezes', { raw: calendar, headers });
    expect(first.status).toBe(201);
    expect(first.json.windows.map((w: { id: string }) => w.id)).toEqual(['payments-launch', 'weekend']);
    const before = await api.table.dump();
    const again = await api.call('POST', '/freezes', { raw: calendar, headers });
    expect(again.status).toBe(200);
    expect(again.json.windows).toEqual([
      { id: 'payments-launch', created: false, changed: false },
      { id: 'weekend', created: false, changed: false },
    ]);
    expect(await api.table.dump()).toEqual(before);
    // Weekend freeze: Friday 27 Nov 18:00 in Berlin is 17:00 UTC.
    expect(api.integrations.armed.get('convoy-freeze-weekend')?.at).toBe('2026-11-27T17:00:00.000Z');
  });

  it.each([
    [
      'an RRULE that is not one',
      { ...weekend, id: 'w1', schedule: { ...weekend.schedule, rrule: 'FREQ=SOMETIMES' } },
      'body.schedule.rrule',
    ],
    [
      'an end before the start',
      { ...yearEnd, id: 'w2', schedule: { start: '2026-12-20T00:00:00Z', end: '2026-12-19T00:00:00Z' } },
      'body.schedule.end',
    ],
    [
      'an unknown time zone',
      { ...weekend, id: 'w3', schedule: { ...weekend.schedule, timezone: 'Mars/Olympus' } },
      'body.schedule.timezone',
    ],
    ['an unknown field', { ...yearEnd, id: 'w4', owner: 'me' }, 'body.owner'],
    [
      'a bad glob',
      { ...yearEnd, id: 'w5', scope: { environments: ['prod/*'] } },
      'body.scope.environments[0]',
    ],
    ['a bad level', { ...yearEnd, id: 'w6', level: 'medium' }, 'body.level'],
    ['duplicate ids in a calendar', { windows: [yearEnd, yearEnd] }, 'body.windows[1].id'],
    ['a calendar with other fields', { windows: [yearEnd], name: 'cal' }, 'body.name'],
    ['an empty calendar', { windows: [] }, 'body.windows'],
    [
      'an invalid window in a calendar',
      { windows: [yearEnd, { ...yearEnd, id: 'Bad Id' }] },
      'body.windows[1].id',
    ],
  ])('refuses %s with 422 naming the field, writing nothing', async (_label, body, path) => {
    const before = await api.table.dump();
    const res = await api.call('POST', '/freezes', { body });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.json.problems.map((p: { path: string }) => p.path)).toContain(path);
    expect(await api.table.dump()).toEqual(before);
  });

  it.each([
    ['POST', '/freezes', { body: { ...yearEnd, id: 'mine' } }],
    ['DELETE', '/freezes/year-end', {}],
    ['POST', '/freezes/import', { raw: ics([]), headers: { 'content-type': 'text/calendar' } }],
  ])('lets release managers only %s %s', async (method, url, options) => {
    for (const as of ['priya', 'vera', 'alex', 'stranger']) {
      const before = await api.table.dump();
      const res = await api.call(method, url, { ...options, as });
      expect(res.status, as).toBe(403);
      expect(await api.table.dump()).toEqual(before);
    }
  });

  it('answers the freezeStatus shape for an environment, at an instant, for a namespace and a kind', async () => {
    const status = await api.call(
      'GET',
      '/environments/prod-eu/freeze-status?at=2026-12-01T12:00:00Z&namespace=payments&kind=deploy',
      { as: 'vera' },
    );
    expect(status.status).toBe(200);
    expect(status.json).toEqual({
      frozen: true,
      level: 'soft',
      windows: [
        {
          id: 'payments-launch',
          name: 'Payments launch',
          level: 'soft',
          start: '2026-12-01T08:00:00.000Z',
          end: '2026-12-01T20:00:00.000Z',
          allow: ['rollback'],
          inFlight: 'pause',
        },
      ],
      allowedKinds: ['rollback'],
      nextChange: '2026-12-01T20:00:00.000Z',
    });
    const identity = await api.call(
      'GET',
      '/environments/prod-eu/freeze-status?at=2026-12-01T12:00:00Z&namespace=identity',
    );
    expect(identity.json).toMatchObject({ frozen: false, level: null, windows: [] });
    const now = await api.call('GET', '/environments/dev/freeze-status');
    expect(now.json).toMatchObject({ frozen: false, level: null });
  });

  it.each([
    ['/environments/prod-eu/freeze-status?at=yesterday', 400, 'query.at'],
    ['/environments/prod-eu/freeze-status?kind=nap', 400, 'query.kind'],
    ['/environments/prod-eu/freeze-status?namespace=Pay..ments', 400, 'query.namespace[0]'],
    ['/environments/prod-eu/freeze-status?env=x', 400, 'query.env'],
  ])('refuses the status query %s', async (url, status, path) => {
    const res = await api.call('GET', url);
    expect(res.status).toBe(status);
    expect(res.json.problems[0].path).toBe(path);
  });

  it('expands the calendar into occurrences for a period, recurring ones in their zone, whole at the edges', async () => {
    const res = await api.call(
      'GET',
      '/freezes/occurrences?from=2026-11-30T00:00:00Z&to=2026-12-07T00:00:00Z',
      {
        as: 'vera',
      },
    );
    expect(res.status).toBe(200);
    const weekendOf = (start: string, end: string) => ({
      id: 'weekend',
      name: 'Weekend freeze',
      level: 'hard',
      scope: { environments: ['prod-*'] },
      allow: ['rollback'],
      timezone: 'Europe/Berlin',
      recurring: true,
      start,
      end,
    });
    expect(res.json).toEqual({
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-07T00:00:00.000Z',
      occurrences: [
        // Friday 18:00 to Monday 06:00 in Berlin (UTC+1): the one ending inside the period is given whole.
        weekendOf('2026-11-27T17:00:00.000Z', '2026-11-30T05:00:00.000Z'),
        {
          id: 'payments-launch',
          name: 'Payments launch',
          level: 'soft',
          scope: { environments: ['prod-eu'], namespaces: ['payments'] },
          allow: ['rollback'],
          timezone: 'UTC',
          recurring: false,
          start: '2026-12-01T08:00:00.000Z',
          end: '2026-12-01T20:00:00.000Z',
        },
        weekendOf('2026-12-04T17:00:00.000Z', '2026-12-07T05:00:00.000Z'),
      ],
    });
    const turn = await api.call(
      'GET',
      '/freezes/occurrences?from=2026-12-31T00:00:00%2B01:00&to=2027-01-01T00:00:00Z',
    );
    expect(turn.json.occurrences.map((o: { id: string; start: string }) => `${o.id} ${o.start}`)).toEqual([
      'year-end 2026-12-20T00:00:00.000Z',
    ]);
    expect(turn.json.from).toBe('2026-12-30T23:00:00.000Z');
  });

  it.each([
    ['/freezes/occurrences?from=2026-12-01T00:00:00Z', 'query.to'],
    ['/freezes/occurrences?from=soon&to=2026-12-01T00:00:00Z', 'query.from'],
    ['/freezes/occurrences?from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'query.to'],
    ['/freezes/occurrences?from=2026-12-01T00:00:00Z&to=2027-03-01T00:00:00Z', 'query.to'],
    ['/freezes/occurrences?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&env=dev', 'query.env'],
  ])('refuses the occurrences query %s', async (url, path) => {
    const res = await api.call('GET', url);
    expect(res.status).toBe(400);
    expect(res.json.problems[0].path).toBe(path);
  });

  it('answers 404 for the status of an unknown environment', async () => {
    expect((await api.call('GET', '/environments/moon/freeze-status')).status).toBe(404);
  });

  it('exports the calendar as iCalendar and imports it back as the same windows', async () => {
    const exported = await api.call('GET', '/freezes/export', { as: 'vera' });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(exported.text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(exported.text).toContain('X-CONVOY-ID:year-end');
    const headers = { 'content-type': 'text/calendar' };
    const statusAt = async (instant: string) =>
      (await api.call('GET', `/environments/prod-eu/freeze-status?at=${instant}`)).json;
    const instants = [
      '2026-12-01T12:00:00Z',
      '2026-11-28T12:00:00Z',
      '2026-12-24T12:00:00Z',
      '2026-11-25T12:00:00Z',
    ];
    const before = await Promise.all(instants.map(statusAt));
    const res = await api.call('POST', '/freezes/import', { raw: exported.text, headers });
    expect(res.status).toBe(200);
    expect(res.json.problems).toEqual([]);
    expect(res.json.windows.map((w: { id: string }) => w.id).sort()).toEqual([
      'payments-launch',
      'weekend',
      'year-end',
    ]);
    expect(await Promise.all(instants.map(statusAt))).toEqual(before);
    // The export of the imported calendar imports without any change.
    const dump = await api.table.dump();
    const again = await api.call('POST', '/freezes/import', {
      raw: (await api.call('GET', '/freezes/export')).text,
      headers,
    });
    expect(again.json.windows.every((w: { changed: boolean }) => !w.changed)).toBe(true);
    expect(await api.table.dump()).toEqual(dump);
  });

  it('imports the events of an .ics file as windows (SSM Change Calendar style)', async () => {
    const file = ics([
      icsEvent('black-friday@example.com', [
        'DTSTART;TZID=America/New_York:20261127T000000',
        'DTEND;TZID=America/New_York:20261130T000000',
      ]),
    ]);
    const res = await api.call('POST', '/freezes/import?level=soft', {
      raw: file,
      headers: { 'content-type': 'text/calendar' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      windows: [{ id: 'black-friday-example-com', created: true, changed: true }],
      problems: [],
    });
    const window = (await api.call('GET', '/freezes/black-friday-example-com')).json;
    expect(window).toMatchObject({
      level: 'soft',
      schedule: { start: '2026-11-27T00:00:00', timezone: 'America/New_York' },
    });
  });

  it('reads floating times in the zone it is told, and refuses events that share a UID', async () => {
    const floating = ics([icsEvent('quarter-close', ['DTSTART:20270330T180000', 'DTEND:20270401T060000'])]);
    const headers = { 'content-type': 'text/calendar' };
    const res = await api.call('POST', '/freezes/import?timezone=Europe/Berlin', { raw: floating, headers });
    expect(res.status).toBe(201);
    expect((await api.call('GET', '/freezes/quarter-close')).json.schedule).toEqual({
      start: '2027-03-30T18:00:00',
      end: '2027-04-01T06:00:00',
      timezone: 'Europe/Berlin',
    });
    const twice = ics([
      icsEvent('same', ['DTSTART:20270501T000000Z', 'DTEND:20270502T000000Z']),
      icsEvent('same', ['DTSTART:20270601T000000Z', 'DTEND:20270602T000000Z']),
    ]);
    const before = await api.table.dump();
    const dup = await api.call('POST', '/freezes/import', { raw: twice, headers });
    expect(dup.status).toBe(400);
    expect(dup.json.problems).toEqual([expect.objectContaining({ code: 'freeze.duplicate-id' })]);
    expect(await api.table.dump()).toEqual(before);
  });

  it('refuses a calendar with a bad event whole, unless told to skip it', async () => {
    const file = ics([
      icsEvent('good', ['DTSTART:20270301T000000Z', 'DTEND:20270302T000000Z']),
      icsEvent('bad', ['DTSTART:20270301T000000Z', 'DTEND:20270301T000000Z', 'EXDATE:20270301T000000Z']),
    ]);
    const headers = { 'content-type': 'text/calendar' };
    const before = await api.table.dump();
    const strict = await api.call('POST', '/freezes/import', { raw: file, headers });
    expect(strict.status).toBe(400);
    expect(strict.json.problems).toEqual([
      expect.objectContaining({ code: 'freeze.ics-unsupported', path: 'VEVENT[1]' }),
    ]);
    expect(await api.table.dump()).toEqual(before);
    const lenient = await api.call('POST', '/freezes/import?skipInvalid=true', { raw: file, headers });
    expect(lenient.status).toBe(201);
    expect(lenient.json.windows).toEqual([{ id: 'good', created: true, changed: true }]);
    expect(lenient.json.problems).toHaveLength(1);
  });

  it.each([
    ['a body that is not iCalendar', '/freezes/import', 'windows: []'],
    ['a calendar without events', '/freezes/import', ics([])],
    ['an unknown time zone option', '/freezes/import?timezone=Nowhere/Land', ics([])],
  ])('refuses %s, writing nothing', async (_label, url, raw) => {
    const before = await api.table.dump();
    const res = await api.call('POST', url, { raw, headers: { 'content-type': 'text/calendar' } });
    expect(res.status).toBe(400);
    expect(await api.table.dump()).toEqual(before);
  });

  it('removes a window and its schedule; an unknown one is 404', async () => {
    const res = await api.call('DELETE', '/freezes/good');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 'good', removed: true });
    expect(api.integrations.disarmed).toContain('convoy-freeze-good');
    expect((await api.call('GET', '/freezes/good')).status).toBe(404);
    expect((await api.call('DELETE', '/freezes/good')).status).toBe(404);
  });

  it('activates a window that is already in force when it is added, and says so on the bus', async () => {
    at(api, '2026-12-21T09:00:00Z');
    api.integrations.published.length = 0;
    const res = await api.call('POST', '/freezes', {
      body: { ...yearEnd, name: 'Year-end freeze (extended)' },
    });
    expect(res.status).toBe(200);
    expect(api.integrations.published.map((e) => [e.detailType, e.detail.environment])).toEqual([
      ['FreezeStarted', 'prod-eu'],
      ['FreezeStarted', 'prod-us'],
    ]);
    expect(await api.store.freezes.getGuard('prod-eu')).toMatchObject({
      active: ['year-end'],
      level: 'hard',
    });
    expect(api.integrations.armed.get('convoy-freeze-year-end')).toEqual({
      at: '2027-01-04T00:00:00.000Z',
      payload: { reason: 'window-end', windowId: 'year-end' },
    });
  });

  it('still saves the calendar when the scheduler and the bus are down (enforcement does not need them)', async () => {
    api.integrations.failing.add('schedules').add('events');
    const res = await api.call('POST', '/freezes', { body: { ...paymentsLaunch, id: 'launch-two' } });
    api.integrations.failing.clear();
    expect(res.status).toBe(201);
    expect((await api.call('GET', '/freezes/launch-two')).status).toBe(200);
  });

  it('keeps a saved window when the follow-up synchronisation fails (the next firing catches up)', async () => {
    let heads = 0;
    const name = 'heads-fail';
    api.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
        if (context.commandName === 'QueryCommand' && input.ExpressionAttributeValues?.[':pk'] === 'HEADS') {
          heads += 1;
          if (heads === 2)
            throw Object.assign(new Error('injected: connection reset'), { code: 'ECONNRESET' });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const res = await api.call('POST', '/freezes', { body: { ...paymentsLaunch, id: 'launch-three' } });
    api.doc.middlewareStack.remove(name);
    expect(heads).toBe(2);
    expect(res.status).toBe(201);
    expect((await api.call('GET', '/freezes/launch-three')).status).toBe(200);
  });
});
