import { usageError } from './exit-codes.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A period bound: an ISO instant as is; a date is that day in UTC — `--from` its start, `--to` its end
 * (so `--from 2026-12-01 --to 2026-12-31` is all of December).
 */
export const periodBound = (text: string, bound: 'from' | 'to'): string => {
  if (!DATE.test(text)) return text;
  const start = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(start)) throw usageError(`--${bound} ${text} is not a date.`, 'Write e.g. 2026-12-01.');
  return new Date(bound === 'from' ? start : start + DAY_MS).toISOString();
};
