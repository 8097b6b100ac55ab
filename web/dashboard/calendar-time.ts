import { DateTime } from 'luxon';
import type { FreezeOccurrence } from '#api/freezes.ts';

/**
 * Calendar arithmetic in a chosen IANA zone, through luxon (a real time-zone library, as the domain
 * uses): day and week boundaries follow the zone's clock across DST, never a fixed offset.
 */

export type CalendarMode = 'month' | 'week';

export interface Day {
  /** ISO date in the zone, e.g. 2026-12-18. */
  date: string;
  /** Instants bounding the day in the zone (a DST day lasts 23 or 25 hours). */
  start: number;
  end: number;
  inMonth: boolean;
}

/** This browser's zone, read once (a DateTimeFormat is not free). */
export const browserZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Zones a release coordinator often reads a calendar in (the picker adds the windows' own zones). */
const commonZones = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Helsinki',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The zone picker's choices: this browser's, UTC, the windows' own zones, then common ones. */
export const zoneOptions = (extra: readonly string[]): string[] => [
  ...new Set([browserZone, 'UTC', ...extra, ...commonZones]),
];

const at = (ms: number, zone: string): DateTime => DateTime.fromMillis(ms, { zone });

const dayOf = (day: DateTime, month: number | null): Day => ({
  date: day.toISODate() ?? '',
  start: day.toMillis(),
  end: day.plus({ days: 1 }).toMillis(),
  inMonth: month === null || day.month === month,
});

/** The days a view shows around `anchor`: whole ISO weeks (Monday first) covering its month, or its week. */
export const daysOf = (mode: CalendarMode, anchor: number, zone: string): Day[] => {
  const here = at(anchor, zone);
  const first = mode === 'month' ? here.startOf('month').startOf('week') : here.startOf('week');
  const last = mode === 'month' ? here.endOf('month').endOf('week') : here.endOf('week');
  const days: Day[] = [];
  for (let day = first; day < last; day = day.plus({ days: 1 }))
    days.push(dayOf(day, mode === 'month' ? here.month : null));
  return days;
};

/** The anchor one period earlier (-1) or later (+1). */
export const shift = (mode: CalendarMode, anchor: number, zone: string, by: -1 | 1): number =>
  at(anchor, zone)
    .plus(mode === 'month' ? { months: by } : { weeks: by })
    .toMillis();

export const periodTitle = (mode: CalendarMode, anchor: number, zone: string, days: Day[]): string => {
  if (mode === 'month') return at(anchor, zone).setLocale('en-GB').toFormat('LLLL yyyy');
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return '';
  const text = (ms: number) => stamp(ms, zone).slice(0, -6);
  return `Week of ${text(first.start)} – ${text(last.start)}`;
};

export const overlaps = (o: { start: string; end: string }, day: Day): boolean =>
  Date.parse(o.start) < day.end && Date.parse(o.end) > day.start;

// One formatter per zone, made once: a calendar formats hundreds of times per render.
const formatters = new Map<string, Intl.DateTimeFormat>();
const partsOf = (ms: number, zone: string): Record<string, string> => {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, format);
  }
  return Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
};

/** `18:00` in the zone. */
export const clock = (ms: number, zone: string): string => {
  const p = partsOf(ms, zone);
  return `${p.hour ?? ''}:${p.minute ?? ''}`;
};

/** `Fri 18 Dec 2026 18:00` in the zone. */
export const stamp = (ms: number, zone: string): string => {
  const p = partsOf(ms, zone);
  return `${p.weekday ?? ''} ${p.day ?? ''} ${p.month ?? ''} ${p.year ?? ''} ${p.hour ?? ''}:${p.minute ?? ''}`;
};

export const weekdayLabel = (day: Day, zone: string): string => {
  const p = partsOf(day.start, zone);
  return `${p.weekday ?? ''} ${p.day ?? ''}`;
};

/** Where an instant falls in a day, 0..1. */
export const fractionOf = (ms: number, day: Day): number =>
  Math.min(1, Math.max(0, (ms - day.start) / (day.end - day.start)));

/** The ISO date of an instant in the zone, and back: the start of a date's day (or the next day's). */
export const isoDate = (ms: number, zone: string): string => at(ms, zone).toISODate() ?? '';
export const dayStartOf = (date: string, zone: string, plusDays = 0): number | null => {
  const day = DateTime.fromISO(date, { zone });
  return day.isValid ? day.startOf('day').plus({ days: plusDays }).toMillis() : null;
};

/** What a person needs to read about an occurrence: its window's own zone and times, then the viewer's. */
export const occurrenceText = (o: FreezeOccurrence, zone: string): string => {
  const [start, end] = [Date.parse(o.start), Date.parse(o.end)];
  const lines = [
    `${o.name} (${o.level} freeze${o.recurring ? ', recurring' : ''})`,
    `In its zone, ${o.timezone}: ${stamp(start, o.timezone)} → ${stamp(end, o.timezone)}`,
  ];
  if (zone !== o.timezone) lines.push(`In ${zone}: ${stamp(start, zone)} → ${stamp(end, zone)}`);
  const scope = Object.entries(o.scope)
    .map(([dimension, globs]) => `${dimension} ${globs.join(', ')}`)
    .join('; ');
  lines.push(`Scope: ${scope || 'everything'}`);
  lines.push(`Still allowed: ${o.allow.length > 0 ? o.allow.join(', ') : 'nothing'}`);
  return lines.join('\n');
};
