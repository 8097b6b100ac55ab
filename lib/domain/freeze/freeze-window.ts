/**
 * Freeze windows and whether a change is frozen. This folder holds the window (here) and its
 * validation, schedules (recurrence rules, occurrences, local time and zones), scopes and change kinds,
 * the compiled calendar and freeze status, window edges, and the inFlight policy. What lets a frozen
 * change through is ../overrides; iCalendar files are ../calendar; the compliance report ../compliance.
 */
import { z } from 'zod';
import { nameSchema } from '../core/names.ts';
import { changeKindSchema, freezeLevelSchema, type ChangeKind } from './change-kind.ts';
import { globProblem } from './scope-match.ts';
import {
  isPositiveDuration,
  isValidTimeZone,
  parseDateTimeText,
  parseDuration,
  resolveEnd,
  resolveStart,
  wallOfText,
} from './local-time.ts';
import { parseRruleText } from './rrule-text.ts';
import { everOccurs } from './recurrence.ts';

/** Adds an issue whose `params.code` is the stable `freeze.*` code that `validateFreezeWindow` reports. */
const flag = (ctx: z.RefinementCtx, code: string, message: string, path?: (string | number)[]): void => {
  ctx.addIssue({ code: 'custom', message, params: { code }, ...(path === undefined ? {} : { path }) });
};

const globSchema = z.string().superRefine((pattern, ctx) => {
  const message = globProblem(pattern);
  if (message !== null) flag(ctx, 'freeze.bad-glob', message);
});
const globsSchema = z
  .array(globSchema)
  .min(1, 'must list at least one glob; leave it out to mean all')
  .max(100);

export const freezeScopeSchema = z.strictObject({
  environments: globsSchema.optional(),
  namespaces: globsSchema.optional(),
  teams: globsSchema.optional(),
  changeKinds: globsSchema.optional(),
});
export type FreezeScope = z.infer<typeof freezeScopeSchema>;

const dateTimeSchema = z
  .string()
  .max(40)
  .superRefine((text, ctx) => {
    if (parseDateTimeText(text) === null) {
      flag(
        ctx,
        'freeze.bad-datetime',
        `"${text}" is not an ISO 8601 date-time like 2026-12-20T18:00 or 2026-12-20T18:00:00Z`,
      );
    }
  });

const timezoneSchema = z
  .string()
  .max(64)
  .superRefine((zone, ctx) => {
    if (!isValidTimeZone(zone))
      flag(ctx, 'freeze.unknown-timezone', `"${zone}" is not an IANA time zone such as Europe/Berlin`);
  });

const durationSchema = z
  .string()
  .max(64)
  .superRefine((text, ctx) => {
    const duration = parseDuration(text);
    if (duration === null)
      flag(ctx, 'freeze.bad-duration', `"${text}" is not an ISO 8601 duration like PT2H or P2DT16H`);
    else if (!isPositiveDuration(duration))
      flag(ctx, 'freeze.duration-not-positive', `"${text}" must be longer than zero`);
  });

const rruleSchema = z
  .string()
  .max(1000)
  .superRefine((text, ctx) => {
    const parsed = parseRruleText(text);
    if ('issues' in parsed) for (const issue of parsed.issues) flag(ctx, issue.code, issue.message);
  });

/** A one-off window: `start`/`end` carry an offset, or are local readings in `timezone`. */
export const oneOffScheduleSchema = z
  .strictObject({ start: dateTimeSchema, end: dateTimeSchema, timezone: timezoneSchema.optional() })
  .superRefine((schedule, ctx) => {
    const start = parseDateTimeText(schedule.start);
    const end = parseDateTimeText(schedule.end);
    if (start === null || end === null) return;
    const zone = schedule.timezone;
    if (zone === undefined && (start.kind === 'local' || end.kind === 'local')) {
      flag(
        ctx,
        'freeze.timezone-required',
        'a local date-time needs a timezone (or write it with an offset)',
        ['timezone'],
      );
      return;
    }
    if (zone !== undefined && !isValidTimeZone(zone)) return;
    const from = resolveStart(start, zone ?? 'UTC');
    if (resolveEnd(end, zone ?? 'UTC', from) <= from)
      flag(ctx, 'freeze.end-not-after-start', 'end must be after start', ['end']);
  });
export type OneOffSchedule = z.infer<typeof oneOffScheduleSchema>;

/**
 * When no `start` is given, the recurrence is anchored at this local reading (a Saturday). DTSTART only
 * supplies what the rule leaves out: the time of day not given by BYHOUR/BYMINUTE/BYSECOND (00:00:00),
 * the weekday of a WEEKLY rule without BYDAY (Saturday), the day of a MONTHLY rule without
 * BYMONTHDAY/BYDAY (the 1st), the date of a bare YEARLY rule (1 January), and the phase of an
 * INTERVAL. Give `start` when any of these matter.
 */
export const RECURRENCE_ANCHOR = '2000-01-01T00:00:00';

/** A recurring window: an RFC 5545 RRULE in `timezone`, each occurrence lasting `duration`. */
export const recurringScheduleSchema = z
  .strictObject({
    rrule: rruleSchema,
    duration: durationSchema,
    timezone: timezoneSchema,
    /** DTSTART: the first possible occurrence (default RECURRENCE_ANCHOR). */
    start: dateTimeSchema.optional(),
    /** No occurrence starts after this. */
    until: dateTimeSchema.optional(),
  })
  .superRefine((schedule, ctx) => {
    const parsed = parseRruleText(schedule.rrule);
    const start = parseDateTimeText(schedule.start ?? RECURRENCE_ANCHOR);
    const until = schedule.until === undefined ? undefined : parseDateTimeText(schedule.until);
    if ('issues' in parsed || start === null || until === null || !isValidTimeZone(schedule.timezone)) return;
    const dtstart = wallOfText(start, schedule.timezone);
    if (!everOccurs(parsed.rule, dtstart)) {
      flag(ctx, 'freeze.rrule-never-occurs', `"${schedule.rrule}" never occurs (e.g. a 30 February)`, [
        'rrule',
      ]);
    }
    if (
      until !== undefined &&
      resolveStart(until, schedule.timezone) < resolveStart(start, schedule.timezone)
    ) {
      flag(ctx, 'freeze.until-before-start', 'until must not be before start', ['until']);
    }
  });
export type RecurringSchedule = z.infer<typeof recurringScheduleSchema>;

export const scheduleSchema = z.union([recurringScheduleSchema, oneOffScheduleSchema]);
export type Schedule = z.infer<typeof scheduleSchema>;
export const isRecurring = (schedule: Schedule): schedule is RecurringSchedule => 'rrule' in schedule;

export const inFlightPolicies = ['pause', 'finish-phase', 'continue'] as const;
export const inFlightSchema = z.enum(inFlightPolicies);
export type InFlightPolicy = z.infer<typeof inFlightSchema>;

export const freezeWindowSchema = z
  .strictObject({
    id: nameSchema,
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** Globs per dimension; a dimension left out covers everything. */
    scope: freezeScopeSchema,
    schedule: scheduleSchema,
    level: freezeLevelSchema,
    /** Change kinds still permitted while the window applies. */
    allow: z.array(changeKindSchema).max(10).optional(),
    /** Rollback is permitted by default; a window may forbid it. */
    forbidRollback: z.boolean().optional(),
    /** What a rollout already running does when the window starts (default `pause`). */
    inFlight: inFlightSchema.optional(),
  })
  .refine((window) => !(window.forbidRollback === true && window.allow?.includes('rollback') === true), {
    message: 'allow lists rollback but forbidRollback is true; choose one',
    path: ['forbidRollback'],
    params: { code: 'freeze.rollback-conflict' },
    // Checked even when other fields are wrong, so every problem is reported at once.
    when: ({ value }) => {
      // The input may be anything (null, a number): read it as an object only when it is one.
      const v = (typeof value === 'object' && value !== null ? value : {}) as {
        allow?: unknown;
        forbidRollback?: unknown;
      };
      return v.forbidRollback === true && Array.isArray(v.allow);
    },
  });
export type FreezeWindow = z.infer<typeof freezeWindowSchema>;

export const inFlightOf = (window: FreezeWindow): InFlightPolicy => window.inFlight ?? 'pause';

/** Kinds this window still permits: its allow list, rollback unless forbidden, and kinds outside its scope. */
export const permittedKinds = (window: FreezeWindow, scoped: (kind: ChangeKind) => boolean): ChangeKind[] =>
  changeKindSchema.options.filter(
    (kind) =>
      !scoped(kind) ||
      window.allow?.includes(kind) === true ||
      (kind === 'rollback' && window.forbidRollback !== true),
  );
