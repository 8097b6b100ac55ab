import { sample, type BenchCase } from '../bench-case.ts';
import { changeKinds } from '#domain/freeze/change-kind.ts';
import type { FreezeWindow } from '#domain/freeze/freeze-window.ts';
import { compileWindows, freezeStatus, type FreezeQuery } from '#domain/freeze/freeze-status.ts';

/** A small deterministic generator, so every run measures the same calendar. */
const random = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
};

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Sydney',
  'America/Los_Angeles',
];
const REGIONS = ['eu', 'us', 'ap'];
const ENVIRONMENTS = [
  ...REGIONS.flatMap((r) => [1, 2, 3, 4, 5].map((cell) => `prod-${r}-${cell}`)),
  ...REGIONS.flatMap((r) => [`staging-${r}`, `perf-${r}`]),
  'dev',
  'qa',
  'sandbox',
];
const NAMESPACES = ['payments', 'identity', 'search', 'catalog', 'checkout', 'shipping', 'ads', 'media'];
const RULES = [
  ['FREQ=WEEKLY;BYDAY=FR;BYHOUR=16', 'P2DT16H'],
  ['FREQ=DAILY;BYHOUR=22', 'PT8H'],
  ['FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=12', 'P1D'],
  ['FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=20', 'P16D'],
  ['FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=30', 'PT2H'],
] as const;
const BASE = Date.UTC(2026, 9, 1);

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const calendar = (count: number): FreezeWindow[] => {
  const next = random(42);
  return Array.from({ length: count }, (_, i): FreezeWindow => {
    const zone = pick(next, ZONES);
    const scope = {
      environments:
        next() < 0.1
          ? ['prod-*']
          : next() < 0.2
            ? [`prod-${pick(next, REGIONS)}-*`]
            : [pick(next, ENVIRONMENTS)],
      ...(next() < 0.5 ? { namespaces: [pick(next, NAMESPACES), pick(next, NAMESPACES)] } : {}),
    };
    const level = next() < 0.3 ? 'soft' : 'hard';
    if (i % 2 === 0) {
      const [rrule, duration] = pick(next, RULES);
      return {
        id: `r-${i}`,
        name: `recurring ${i}`,
        scope,
        level,
        schedule: { rrule, duration, timezone: zone },
      };
    }
    const start = BASE + Math.floor((next() * 365 - 30) * 24) * 3_600_000;
    const end = start + (1 + Math.floor(next() * 72)) * 3_600_000;
    return {
      id: `o-${i}`,
      name: `one-off ${i}`,
      scope,
      level,
      ...(next() < 0.3 ? { allow: ['flag-kill-switch' as const] } : {}),
      schedule: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    };
  });
};

const queries = (count: number): Array<{ query: FreezeQuery; at: number }> => {
  const next = random(7);
  return Array.from({ length: count }, () => ({
    query: {
      environment: pick(next, ENVIRONMENTS),
      namespaces: [pick(next, NAMESPACES)],
      kind: pick(next, changeKinds),
    },
    at: BASE + Math.floor(next() * 60 * 24 * 60) * 60_000,
  }));
};

const windows = calendar(1000);

export const cases: BenchCase[] = [
  {
    name: 'freezeStatus over 1,000 windows',
    // Distinct queries (environment, namespace, kind, instant over 60 days), no warm-up beyond the
    // default: the samples include the occurrence expansions the first queries trigger.
    target: 'median <= 1 ms per query (compiled windows)',
    targetMedianMs: 1,
    run: async () => {
      const compiled = compileWindows(windows);
      const list = queries(3000);
      let i = 0;
      return sample(() => {
        const { query, at } = list[i % list.length]!;
        i += 1;
        return compiled.status(query, at);
      }, 2000);
    },
  },
  {
    name: 'freezeStatus over 1,000 windows, uncompiled (one-shot)',
    target: 'informational: compile + one query, as a handler does',
    run: async () => {
      const list = queries(50);
      let i = 0;
      return sample(
        () => {
          const { query, at } = list[i % list.length]!;
          i += 1;
          return freezeStatus(windows, query, at);
        },
        50,
        2,
      );
    },
  },
];
