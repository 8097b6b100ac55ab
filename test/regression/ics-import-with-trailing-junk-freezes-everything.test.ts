import { beforeAll, describe, expect, it } from 'vitest';
import { toIcs } from '#domain/calendar/ics.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { yearEnd } from '../support/freeze.ts';

/**
 * Symptom (issue 10, item 4): `POST /freezes/import` with a valid calendar followed by junk imported
 * the junk too. Lines after END:VCALENDAR were read as if inside it, so a stray VEVENT there, with no
 * X-CONVOY-* scope, became a hard window over every environment; other junk was ignored silently.
 * Now a file that is not a well-formed calendar is refused whole, naming the line, even with
 * skipInvalid, and so is an event that gives a property twice.
 */
describe('regression: an iCalendar import with trailing junk froze everything', () => {
  let api: TestApi;
  const calendar = toIcs([{ ...yearEnd, level: 'soft', scope: { environments: ['staging'] } }], {
    calendarName: 'Staging freezes',
    stamp: '2026-11-01T00:00:00Z',
  });
  const after = calendar.split('\r\n').filter((line) => line !== '').length + 1;
  const stray = ['BEGIN:VEVENT', 'UID:stray', 'DTSTART:20261123T000000Z', 'DURATION:P30D', 'END:VEVENT', ''];

  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
  });

  it.each([
    ['a stray event', stray.join('\r\n'), ''],
    ['a stray event, with skipInvalid', stray.join('\r\n'), '?skipInvalid=true'],
    ['text', 'Sent from my phone\r\n', ''],
    ['a property', 'X-JUNK:1\r\n', ''],
  ])('a calendar followed by %s is a 400 naming the line, and nothing is written', async (_, junk, query) => {
    const before = await api.table.dump();
    const res = await api.call('POST', `/freezes/import${query}`, {
      raw: `${calendar}${junk}`,
      headers: { 'content-type': 'text/calendar' },
    });
    expect(res.status).toBe(400);
    expect(res.json.detail).toBe('The calendar cannot be imported; nothing was written.');
    expect(res.json.problems[0]).toEqual({
      code: 'freeze.ics-syntax',
      path: `line ${after}`,
      message: expect.stringMatching(new RegExp(`^line ${after}: `)),
    });
    expect(await api.table.dump()).toEqual(before);
    expect(api.integrations.armed.size).toBe(0);
  });

  it('an event giving its level twice is refused, not read by its first line', async () => {
    const twice = calendar.replace('X-CONVOY-LEVEL:soft', 'X-CONVOY-LEVEL:soft\r\nX-CONVOY-LEVEL:hard');
    const res = await api.call('POST', '/freezes/import', {
      raw: twice,
      headers: { 'content-type': 'text/calendar' },
    });
    expect(res.status).toBe(400);
    expect(res.json.problems).toEqual([
      {
        code: 'freeze.ics-repeated',
        path: 'VEVENT[0]',
        message: 'X-CONVOY-LEVEL is given more than once; the event was not imported',
      },
    ]);
  });

  it('the calendar alone imports its one soft staging window', async () => {
    const res = await api.call('POST', '/freezes/import', {
      raw: calendar,
      headers: { 'content-type': 'text/calendar' },
    });
    expect(res.status).toBe(201);
    const windows = (await api.call('GET', '/freezes')).json.windows as { level: string; scope: unknown }[];
    expect(windows.map((w) => [w.level, w.scope])).toEqual([['soft', { environments: ['staging'] }]]);
  });
});
