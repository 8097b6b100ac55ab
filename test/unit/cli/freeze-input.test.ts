import { describe, expect, it } from 'vitest';
import { periodBound } from '#cli/report-period.ts';
import { collect } from '#cli/commands/freeze.ts';
import { CliError } from '#cli/exit-codes.ts';
import { slugOf, validatedWindows, windowDocuments, windowFromFlags } from '#cli/freeze-input.ts';
import type { InputFile } from '#cli/read-input.ts';

const now = new Date('2026-12-20T10:15:42.123Z');

const yaml = (text: string): InputFile => ({
  path: 'freezes.yaml',
  text,
  format: 'yaml',
  contentType: 'application/yaml',
});

const failure = (run: () => unknown): CliError => {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
};

describe('freeze add from flags', () => {
  it('derives the id from the name', () => {
    expect(slugOf('Incident freeze (EU)')).toBe('incident-freeze-eu');
    expect(slugOf('  Ünïcode — year-end! ')).toBe('unicode-year-end');
  });

  it('builds a one-off window starting now (the next whole second), ending a duration later', () => {
    const window = windowFromFlags(
      {
        name: 'Incident freeze',
        env: ['prod-eu'],
        start: 'now',
        duration: 'PT2H',
        allow: ['flag-kill-switch'],
      },
      now,
    );
    expect(window).toEqual({
      id: 'incident-freeze',
      name: 'Incident freeze',
      scope: { environments: ['prod-eu'] },
      schedule: { start: '2026-12-20T10:15:43Z', end: '2026-12-20T12:15:43Z' },
      level: 'hard',
      allow: ['flag-kill-switch'],
    });
    expect(validatedWindows([window], 'the window')).toHaveLength(1);
  });

  it('reads a local start in its zone, across a DST change as a calendar does', () => {
    const window = windowFromFlags(
      { name: 'Night', start: '2026-03-28T22:00', duration: 'P1D', timezone: 'Europe/Berlin', level: 'soft' },
      now,
    ) as { schedule: unknown; level: string };
    expect(window.schedule).toEqual({
      start: '2026-03-28T22:00',
      end: '2026-03-29T22:00',
      timezone: 'Europe/Berlin',
    });
    expect(window.level).toBe('soft');
  });

  it('builds a recurring window with its scope, policies and bounds', () => {
    expect(
      windowFromFlags(
        {
          id: 'weekend',
          name: 'Weekend',
          namespace: ['payments'],
          team: ['payments'],
          kind: ['deploy', 'rollback'],
          rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18',
          duration: 'P2DT12H',
          timezone: 'Europe/Berlin',
          until: '2027-06-30T00:00',
          forbidRollback: true,
          inFlight: 'finish-phase',
          description: 'weekends',
        },
        now,
      ),
    ).toEqual({
      id: 'weekend',
      name: 'Weekend',
      description: 'weekends',
      scope: { namespaces: ['payments'], teams: ['payments'], changeKinds: ['deploy', 'rollback'] },
      schedule: {
        rrule: 'FREQ=WEEKLY;BYDAY=FR;BYHOUR=18',
        duration: 'P2DT12H',
        timezone: 'Europe/Berlin',
        until: '2027-06-30T00:00',
      },
      level: 'hard',
      forbidRollback: true,
      inFlight: 'finish-phase',
    });
  });

  it('refuses incomplete flags as usage errors (exit 2)', () => {
    for (const flags of [
      {},
      { name: 'x' },
      { name: 'x', start: 'now' },
      { name: 'x', start: 'now', end: '2026-12-21T00:00:00Z', duration: 'PT1H' },
      { name: 'x', start: 'now', duration: 'PT1H', until: '2027-01-01T00:00' },
      { name: 'x', rrule: 'FREQ=DAILY', duration: 'PT1H' },
      { name: 'x', rrule: 'FREQ=DAILY', duration: 'PT1H', timezone: 'UTC', end: '2027-01-01T00:00:00Z' },
      { name: 'x', start: 'soon', duration: 'PT1H' },
      { name: 'x', start: 'now', duration: 'two hours' },
    ]) {
      expect(failure(() => windowFromFlags(flags, now)).exitCode, JSON.stringify(flags)).toBe(2);
    }
  });
});

describe('freeze add from a file', () => {
  it('accepts one window, a list, or { windows }', () => {
    const one =
      'id: a\nname: A\nscope: {}\nlevel: hard\nschedule: { start: 2026-12-01T00:00:00Z, end: 2026-12-02T00:00:00Z }\n';
    expect(windowDocuments(yaml(one))).toHaveLength(1);
    expect(windowDocuments(yaml(`- ${one.replace(/\n(?=.)/g, '\n  ')}`))).toHaveLength(1);
    expect(windowDocuments(yaml(`windows:\n  - ${one.replace(/\n(?=.)/g, '\n    ')}`))).toHaveLength(1);
  });

  it('refuses malformed YAML as a usage error', () => {
    const error = failure(() => windowDocuments(yaml('windows: [')));
    expect(error.exitCode).toBe(2);
    expect(error.problem?.problems?.[0]?.code).toBe('document.syntax');
  });

  it('reports every problem at once, exit 1, with paths into the window', () => {
    const error = failure(() =>
      validatedWindows(
        [
          {
            id: 'Bad Id',
            name: 'x',
            scope: {},
            level: 'frozen',
            schedule: { rrule: 'FREQ=WEEKLY;BYDAY=XX', duration: 'P1D', timezone: 'Mars/Base' },
          },
        ],
        'the window',
      ),
    );
    expect(error.exitCode).toBe(1);
    const paths = (error.problem?.problems ?? []).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'level', 'schedule.rrule', 'schedule.timezone']));
  });

  it('keeps list indexes when there are several windows', () => {
    const good = {
      id: 'a',
      name: 'A',
      scope: {},
      level: 'hard',
      schedule: { start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
    };
    const error = failure(() => validatedWindows([good, good], 'freezes.yaml'));
    expect(error.problem?.problems).toEqual([
      expect.objectContaining({ code: 'freeze.duplicate-id', path: '[1].id' }),
    ]);
  });
});

describe('command-line helpers', () => {
  it('collects repeatable, comma-separated values', () => {
    expect(collect('prod-eu, prod-us', undefined)).toEqual(['prod-eu', 'prod-us']);
    expect(collect('dev', ['prod-eu'])).toEqual(['prod-eu', 'dev']);
  });

  it('reads report periods: instants as given, dates as whole UTC days', () => {
    expect(periodBound('2026-12-01', 'from')).toBe('2026-12-01T00:00:00.000Z');
    expect(periodBound('2026-12-31', 'to')).toBe('2027-01-01T00:00:00.000Z');
    expect(periodBound('2026-12-01T10:00:00+01:00', 'from')).toBe('2026-12-01T10:00:00+01:00');
    expect(failure(() => periodBound('2026-13-45', 'from')).exitCode).toBe(2);
  });
});
