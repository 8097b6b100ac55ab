import { largeBundleDocument, largeCatalog, largeSnapshot } from './test/unit/support/large.ts';
import { bundleSchema } from './lib/domain/bundles/bundle.ts';
import { sealBundle } from './lib/domain/bundles/seal.ts';
import { applyBundle } from './lib/domain/bundles/snapshot.ts';
import { parseWith } from './lib/domain/core/zod-problems.ts';
import { exceedsDepth } from './lib/domain/core/json.ts';
import { contentHash } from './lib/domain/core/json.ts';
import { indexCatalog } from './lib/domain/catalog/catalog-index.ts';
import { changeProblems, suggester } from './lib/domain/bundles/change-rules.ts';
import { referenceProblems } from './lib/domain/bundles/reference-rules.ts';
import { duplicateChanges } from './lib/domain/bundles/parse-bundle.ts';
import { releaseConflicts } from './lib/domain/bundles/release-conflicts.ts';
import { validateBundle } from './lib/domain/bundles/validate-bundle.ts';
const catalog = largeCatalog(10000); const doc = largeBundleDocument(10000); const snap = largeSnapshot(10000);
const sealed = sealBundle(bundleSchema.parse(doc));
const index = indexCatalog(catalog);
const target = { name: 'prod', snapshot: snap, services: {} };
const next = applyBundle(snap, sealed);
const other = sealBundle(bundleSchema.parse({ ...doc, name: 'other-change', changes: sealed.bundle.changes.slice(0, 1000) }));
const t = (name: string, f: () => unknown) => { for (let i = 0; i < 5; i++) f(); const xs: number[] = []; for (let i = 0; i < 21; i++) { const s = performance.now(); f(); xs.push(performance.now() - s); } xs.sort((a, b) => a - b); console.log(name.padEnd(30), xs[10]!.toFixed(2)); };
t('exceedsDepth', () => exceedsDepth(doc));
t('parse', () => bundleSchema.safeParse(doc));
t('parseWith', () => parseWith(bundleSchema, doc));
t('contentHash', () => contentHash(sealed.bundle));
t('duplicates', () => duplicateChanges(sealed.bundle.changes));
t('changeProblems', () => changeProblems(sealed.bundle, index, target, suggester()));
t('apply', () => applyBundle(snap, sealed));
t('referenceProblems', () => referenceProblems(sealed.bundle, catalog, index, next));
t('conflicts', () => releaseConflicts(sealed.bundle, [other]));
t('validate', () => validateBundle(doc, { catalog, environment: 'prod', snapshot: snap, services: { api: '1.4.0' }, releaseBundles: [other] }));
{
  const xs: number[] = [];
  for (let i = 0; i < 21; i++) { const c = process.cpuUsage(); validateBundle(doc, { catalog, environment: 'prod', snapshot: snap, services: { api: '1.4.0' }, releaseBundles: [other] }); const d = process.cpuUsage(c); xs.push((d.user + d.system) / 1000); }
  xs.sort((a, b) => a - b); console.log('validate cpu ms median', xs[10]);
}
