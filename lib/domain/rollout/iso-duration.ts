import { z } from 'zod';
import { durationSeconds, parseDuration } from '../core/duration.ts';

/**
 * ISO 8601 durations for bake times, intervals and scenario offsets: `PT5M`, `PT1H30M`, `P1D`, `P2W`.
 * Only units of a fixed length are accepted: weeks, days, hours, minutes and whole seconds. Years and
 * months are calendar units (a month is 28 to 31 days), so a bake time in months would mean different
 * things on different dates; they are rejected with a message that says what to write instead.
 */
export type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

const SECOND = 1000;
/** Ten years: far beyond any rollout, and well inside what a Date can represent. */
export const MAX_DURATION_MS = 3650 * 86_400 * SECOND;

const fail = (text: string, why: string): DurationParse => ({ ok: false, message: `"${text}" ${why}` });

export const parseIsoDuration = (text: string): DurationParse => {
  const duration = parseDuration(text);
  if (!duration) return fail(text, 'is not an ISO 8601 duration; write e.g. PT5M, PT1H30M or P1D');
  const seconds = durationSeconds(duration);
  if (seconds === undefined) {
    return fail(text, 'uses years or months, which have no fixed length; write days instead, e.g. P30D');
  }
  if (!Number.isInteger(duration.seconds)) {
    return fail(text, 'has a fraction of a second; write whole seconds, e.g. PT30S');
  }
  if (seconds * SECOND > MAX_DURATION_MS) return fail(text, 'is longer than ten years (P3650D)');
  return { ok: true, ms: seconds * SECOND };
};

/**
 * A string that must be a fixed-length ISO 8601 duration. Problems carry the rule `invalid-duration`,
 * which the rollout validators turn into `strategy.invalid-duration` / `scenario.invalid-duration`.
 */
export const isoDurationSchema = z
  .string()
  .max(64)
  .superRefine((text, ctx) => {
    const parsed = parseIsoDuration(text);
    if (!parsed.ok)
      ctx.addIssue({ code: 'custom', message: parsed.message, params: { rule: 'invalid-duration' } });
  });

/**
 * Milliseconds of a duration that already passed `isoDurationSchema` (a strategy or scenario that was
 * validated). Anything else is a programming error, hence the throw.
 */
export const durationMs = (text: string): number => {
  const parsed = parseIsoDuration(text);
  if (!parsed.ok) throw new TypeError(`durationMs: ${parsed.message}`);
  return parsed.ms;
};

/** The shortest ISO 8601 spelling of a whole number of seconds: 5_400_000 → PT1H30M, 0 → PT0S. */
export const formatIsoDuration = (ms: number): string => {
  let rest = Math.max(0, Math.round(ms / SECOND));
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (days === 0) return `PT${time || '0S'}`;
  return `P${days}D${time ? `T${time}` : ''}`;
};

/** An offset for timelines: `+HH:MM:SS` (hours grow past 24, so a 3-day rollout reads +72:00:00). */
export const formatOffset = (ms: number): string => {
  if (!Number.isFinite(ms)) return '+??:??:??';
  const sign = ms < 0 ? '-' : '+';
  const total = Math.floor(Math.abs(ms) / SECOND);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${sign}${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
};
