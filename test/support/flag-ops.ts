import { parse } from 'yaml';
import { fixtureCatalogYaml } from './api.ts';

/** The fixture catalog plus a `checkout` namespace (payments) with two boolean flags (flag requirement and kill switch tests). */
export const killCatalogDocument = (): Record<string, unknown> => {
  const catalog = parse(fixtureCatalogYaml) as Record<string, unknown[]>;
  return {
    ...catalog,
    namespaces: [...(catalog.namespaces ?? []), { name: 'checkout', owner: 'payments' }],
    flags: [
      { key: 'checkout.newFlow', type: 'boolean' },
      { key: 'checkout.express', type: 'boolean' },
    ],
  };
};

/** Both flags on (defaultVariant on), in one payments bundle. */
export const killFlagsBundle = {
  name: 'kill-flags',
  version: '1',
  release: '2026.12-R1',
  team: 'payments',
  changes: ['checkout.newFlow', 'checkout.express'].map((key) => ({
    set: key,
    value: { type: 'boolean', enabled: true, defaultVariant: 'on' },
  })),
};
