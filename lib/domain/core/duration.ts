export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 duration such as PT5M, P1DT2H or P2W. Only seconds may be fractional. At least one
 * component is required, and a `T` must be followed by a time component.
 */
export const parseDuration = (text: string): Duration | undefined => {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const n = (i: number): number => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
};

/**
 * Total seconds, counting a day as 86,400 seconds (durations are nominal, not calendar-aware).
 * Undefined when the duration has years or months, whose length depends on the calendar.
 */
export const durationSeconds = (duration: Duration): number | undefined =>
  duration.years > 0 || duration.months > 0
    ? undefined
    : ((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 3600 +
      duration.minutes * 60 +
      duration.seconds;
