import type { Catalog } from '#domain/catalog/catalog.ts';

export const catalog: Catalog = {
  environments: [{ name: 'prod-eu' }, { name: 'dev' }],
  strategies: [],
  teams: [{ name: 'payments' }, { name: 'identity' }, { name: 'web' }],
  namespaces: [
    { name: 'payments', owner: 'payments' },
    { name: 'checkout', owner: 'payments' },
    { name: 'identity', owner: 'identity' },
  ],
  parameters: [],
  services: [],
  roles: [
    { principal: 'rita', roles: ['release-manager'] },
    { principal: 'rob', roles: ['release-manager', 'viewer'] },
    { principal: 'paula', roles: ['team:payments'] },
    { principal: 'peter', roles: ['team:payments', 'approver'] },
    { principal: 'ines', roles: ['team:identity'] },
    { principal: 'wendy', roles: ['team:web'] },
    { principal: '*', roles: ['viewer'] },
  ],
};
