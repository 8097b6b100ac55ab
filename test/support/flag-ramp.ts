import { parse } from 'yaml';
import type { JsonObject } from '#domain/core/json.ts';
import { flagDefinitionSchema, type FlagDefinition } from '#domain/flags/flag.ts';
import { evaluate } from '#domain/flags/evaluate.ts';
import { fixtureCatalogYaml } from './api.ts';

export const RAMP_FLAG = 'payments.checkout.newFlow';

/** The fixture catalog with one boolean flag a rollout can ramp. */
export const rampCatalogDocument = (): Record<string, unknown> => ({
  ...(parse(fixtureCatalogYaml) as Record<string, unknown>),
  flags: [{ key: RAMP_FLAG, type: 'boolean' }],
});

/** The flag as deployed before the ramp: beta testers on, everyone else through a 0% rollout rule. */
export const rampFlagDefinition: JsonObject & { rules: JsonObject[] } = {
  type: 'boolean',
  enabled: true,
  rules: [
    { constraints: [{ attribute: 'beta', operator: 'IN', values: ['true'] }], variant: 'on' },
    {
      rollout: {
        split: [
          { variant: 'on', weight: 0 },
          { variant: 'off', weight: 1000 },
        ],
      },
    },
  ],
};

export const rampFlagBundle = {
  name: 'checkout-new-flow',
  version: '1',
  release: '2026.12-R1',
  team: 'payments',
  changes: [{ set: RAMP_FLAG, value: rampFlagDefinition }],
};

/** The targeting keys of `count` contexts that the real evaluator serves `on` under `definition`. */
export const servedOn = (definition: unknown, count: number): Set<string> => {
  const flag: FlagDefinition = flagDefinitionSchema.parse(definition);
  const env = { flags: { [RAMP_FLAG]: flag }, segments: {}, now: 0 };
  const on = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const targetingKey = `user-${i}`;
    if (evaluate({ ...flag, key: RAMP_FLAG }, { targetingKey }, env).variant === 'on') on.add(targetingKey);
  }
  return on;
};
