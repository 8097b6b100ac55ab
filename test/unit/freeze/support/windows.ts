import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';

/** A one-off window with sensible defaults. */
export const oneOff = (
  id: string,
  start: string,
  end: string,
  extra: Partial<FreezeWindow> & { timezone?: string } = {},
): FreezeWindow => {
  const { timezone, ...rest } = extra;
  return {
    id,
    name: id,
    scope: {},
    level: 'hard',
    schedule: { start, end, ...(timezone === undefined ? {} : { timezone }) },
    ...rest,
  };
};

/** A recurring window with sensible defaults. */
export const recurring = (
  id: string,
  rrule: string,
  duration: string,
  timezone: string,
  extra: Partial<FreezeWindow> & { start?: string; until?: string } = {},
): FreezeWindow => {
  const { start, until, ...rest } = extra;
  return {
    id,
    name: id,
    scope: {},
    level: 'hard',
    schedule: {
      rrule,
      duration,
      timezone,
      ...(start === undefined ? {} : { start }),
      ...(until === undefined ? {} : { until }),
    },
    ...rest,
  };
};
