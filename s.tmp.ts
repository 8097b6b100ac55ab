import { parseDocument } from './lib/domain/core/document.ts';
import { validateBundle } from './lib/domain/bundles/validate-bundle.ts';
import { validateCatalog } from './lib/domain/catalog/validate-catalog.ts';
for (const t of ['{"a":}', '{"a":1,}', '{\n "a": 1\n "b": 2}', 'a: 1\na: 2\n', 'a: &x [1,2]\nb: [*x,*x,*x,*x,*x,*x,*x,*x,*x,*x]\n', '? [1,2]\n: x\n']) console.log(JSON.stringify(parseDocument(t)));
const cat = validateCatalog({
  environments: [{ name: 'dev' }, { name: 'prod' }],
  teams: [{ name: 'payments' }, { name: 'identity' }],
  namespaces: [{ name: 'payments', owner: 'payments' }, { name: 'identity', owner: 'identity' }],
  parameters: [
    { key: 'payments.checkout.timeoutMs', type: 'integer', min: 100, max: 30000, default: 2000 },
    { key: 'payments.checkout.retryBudgetMs', type: 'integer', default: '${payments.checkout.timeoutMs}' },
    { key: 'payments.checkout.mode', type: 'string', enum: ['a', 'b'] },
    { key: 'identity.session.ttlSeconds', type: 'integer', default: 3600 },
  ],
  services: [{ name: 'checkout-api', team: 'payments', consumes: ['payments.checkout.*'] }],
  roles: [{ principal: 'olivia', roles: ['release-manager'] }, { principal: 'priya', roles: ['team:payments', 'admin'] }],
});
console.log(JSON.stringify(cat.problems));
const cat2 = validateCatalog({
  environments: [{ name: 'dev' }, { name: 'prod' }],
  teams: [{ name: 'payments' }, { name: 'identity' }],
  namespaces: [{ name: 'payments', owner: 'payments' }, { name: 'identity', owner: 'identity' }],
  parameters: [
    { key: 'payments.checkout.timeoutMs', type: 'integer', min: 100, max: 30000, default: 2000 },
    { key: 'payments.checkout.retryBudgetMs', type: 'integer', default: '${payments.checkout.timeoutMs}' },
    { key: 'payments.checkout.mode', type: 'string', enum: ['a', 'b'] },
    { key: 'identity.session.ttlSeconds', type: 'integer', default: 3600 },
  ],
  services: [{ name: 'checkout-api', team: 'payments', consumes: ['payments.checkout.*'] }],
  roles: [{ principal: 'olivia', roles: ['release-manager'] }],
});
if (!cat2.ok) throw new Error('x');
const r = validateBundle({ name: 'b', version: 1, release: 'r1', team: 'payments', requires: [{ service: 'checkout-api', range: '>=2.3.0' }], dependsOn: ['identity-session@2'],
  changes: [{ set: 'payments.checkout.timoutMs', value: 1 }, { set: 'payments.checkout.timeoutMs', value: 50000 }, { set: 'identity.session.ttlSeconds', value: 5 }, { set: 'payments.checkout.retryBudgetMs', value: '${payments.checkout.mode}' }, { set: 'payments.checkout.mode', value: 'a' }] },
  { catalog: cat2.catalog, environment: 'prod', services: { 'checkout-api': '2.2.0' } });
console.log(JSON.stringify(r.problems, null, 1));
console.log(JSON.stringify(validateBundle({ name: 'B', changes: [{}, { set: 'a.b' }, { delete: 5 }, { set: 'a.b', value: 1, x: 1 }], dependsOn: ['x'], requires: [{ service: 'a' }], extra: 1 }, { catalog: cat2.catalog }).problems, null, 1));
