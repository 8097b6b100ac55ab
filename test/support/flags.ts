import { readFileSync } from 'node:fs';
import type { FlagDefinition } from '#domain/flags/flag.ts';
import { parse } from 'yaml';
import { fixtureCatalogYaml } from './api.ts';

const flagSet = JSON.parse(
  readFileSync(new URL('../fixtures/flags/flag-set.json', import.meta.url), 'utf8'),
) as {
  flags: Record<string, { type: string }>;
  segments: Record<string, unknown>;
};
const golden = JSON.parse(
  readFileSync(new URL('../fixtures/flags/evaluation-cases.json', import.meta.url), 'utf8'),
) as { now: string };

/** The golden evaluations' clock (DATE constraints compare with it). */
export const flagsNow = new Date(golden.now);

/**
 * The golden flags a bundle can deploy: the fixture also holds flags validation refuses on purpose
 * (a prerequisite cycle, a missing prerequisite), which the golden unit tests evaluate directly.
 */
const refused = new Set(['cycle.a', 'cycle.b', 'checkout.needs-missing']);
export const deployableFlags = Object.fromEntries(
  Object.entries(flagSet.flags).filter(([key]) => !refused.has(key)),
);

/** The fixture catalog plus the golden flags (namespace `checkout`, owned by payments) and segments. */
export const flagCatalogDocument = (): Record<string, unknown> => {
  const catalog = parse(fixtureCatalogYaml) as Record<string, unknown[]>;
  return {
    ...catalog,
    namespaces: [...(catalog.namespaces ?? []), { name: 'checkout', owner: 'payments' }],
    flags: Object.entries(deployableFlags).map(([key, flag]) => ({ key, type: flag.type })),
    segments: flagSet.segments,
  };
};

/** A payments bundle setting every deployable golden flag. */
export const flagsBundle = {
  name: 'checkout-flags',
  version: '1',
  release: '2026.12-R1',
  team: 'payments',
  changes: Object.entries(deployableFlags).map(([key, value]) => ({ set: key, value })),
};

/** A boolean flag definition with every default spelled out (as a parsed definition holds it). */
export const booleanFlag = (over: Partial<FlagDefinition> = {}): FlagDefinition =>
  ({
    type: 'boolean',
    variants: { on: true, off: false },
    defaultVariant: 'on',
    offVariant: 'off',
    enabled: true,
    killed: false,
    rules: [],
    prerequisites: [],
    ...over,
  }) as FlagDefinition;
