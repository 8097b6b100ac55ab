import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { loadRelease } from '#app/releases/release-context.ts';
import { deployRelease } from '#app/releases/deploy-release.ts';
import { bundleSchema, type SealedBundle } from '#domain/bundles/bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import type { Catalog } from '#domain/catalog/catalog.ts';
import { validateReleaseTogether } from '#domain/releases/validate-together.ts';
import { startDynamoDbLocal } from '#local/dynamodb-local.ts';
import { BLOB_CHUNK_BYTES } from '#store/blob-store.ts';
import { createDocumentClient } from '#store/client.ts';
import { createConvoyStore } from '#store/convoy-store.ts';
import { createTableInput } from '#store/table.ts';
import { testDeps } from '../../support/deps.ts';
import { largeCatalog, largeKey } from '../../unit/support/large.ts';
import { sample, type BenchCase } from '../bench-case.ts';

const KEYS = 10_000;
const BUNDLES = 20;
const RELEASE = 'bench-r1';
/** One deploy per environment (a release deploys once per environment): the deploy samples. */
const ENVIRONMENTS = Array.from({ length: 7 }, (_, i) => `bench-${i}`);
const AT = '2026-12-01T09:00:00.000Z';

const catalog = (): Catalog => ({
  ...largeCatalog(KEYS),
  environments: ENVIRONMENTS.map((name) => ({ name })),
  roles: [
    { principal: 'olivia', roles: ['release-manager'] },
    { principal: 'pat', roles: ['team:platform'] },
  ],
});

/**
 * Bundle b of the release sets keys b, b + 20, b + 40, ... (500 each, 10,000 in all), every tenth
 * a reference to its neighbour (often set by another bundle of the release); each depends on the
 * previous one, so the plan has an order to respect.
 */
const releaseBundle = (b: number): SealedBundle =>
  sealBundle(
    bundleSchema.parse({
      name: `part-${b}`,
      version: '1',
      release: RELEASE,
      team: 'platform',
      dependsOn: b === 0 ? [] : [`part-${b - 1}@1`],
      changes: Array.from({ length: KEYS / BUNDLES }, (_, j) => {
        const i = j * BUNDLES + b;
        const value = i % 10 === 9 ? `\${${largeKey(i - 1)}}` : i % 2 === 0 ? i + 7 : `bench-${i}`;
        return { set: largeKey(i), value };
      }),
    }),
  );

/**
 * Issue 14 §7: validate and deploy a 20-bundle release touching 10,000 keys, on DynamoDB Local with
 * the store's own adapters and the release use cases (lib/app/releases). Validation is measured
 * two ways: the pure rule (all bundles applied together against one HEAD), and loadRelease (what
 * GET /releases/{name} runs: reads, plan, and the validation against every environment). Deploy is
 * deployRelease with a release manager's sign-off override: one snapshot of 10,000 values written as
 * chunked blob items (DynamoDB's 400 KB item limit never applies to a snapshot), then one HEAD flip.
 */
const releaseBench = async () => {
  const engine = await startDynamoDbLocal();
  const doc = createDocumentClient({ endpoint: engine.endpoint });
  const tableName = `bench-${randomUUID().slice(0, 8)}`;
  try {
    await doc.send(new CreateTableCommand(createTableInput(tableName)));
    const store = createConvoyStore({ doc, tableName });
    const deps = testDeps({ store, now: () => new Date(AT) });
    const stored = await store.catalogs.putCatalog(catalog(), 0, { principal: 'olivia', at: AT });
    const bundles = Array.from({ length: BUNDLES }, (_, b) => releaseBundle(b));
    for (const sealed of bundles) await store.bundles.putBundle(sealed, { principal: 'pat', at: AT });
    // A one-key release live in each environment first, so each deploy writes its own snapshot (blobs
    // are content-addressed: an identical snapshot would not be written twice).
    for (const [k, environment] of ENVIRONMENTS.entries()) {
      const seed = sealBundle(
        bundleSchema.parse({
          name: `seed-${k}`,
          version: '1',
          release: `seed-${k}`,
          team: 'platform',
          changes: [{ set: largeKey(0), value: k }],
        }),
      );
      await store.bundles.putBundle(seed, { principal: 'pat', at: AT });
      await deployRelease(deps, { environment, principal: 'olivia', at: AT, catalog: stored }, `seed-${k}`, {
        overrideSignoffsReason: 'bench seed',
      });
    }
    const head = await store.environments.getHead('bench-0');
    const snapshot = await store.snapshots.getSnapshot(head?.snapshot ?? '');

    const pure = await sample(() => {
      const result = validateReleaseTogether(bundles, 'bench-0', stored.catalog, { snapshot });
      if (!result.ok) throw new Error(`bench release is invalid: ${JSON.stringify(result.problems[0])}`);
    }, 10);
    const load = await sample(() => loadRelease(deps, stored.catalog, RELEASE, AT), 7, 1);
    const view = await loadRelease(deps, stored.catalog, RELEASE, AT);
    const problems = Object.values(view.validation).flat();
    if (problems.length > 0) throw new Error(`bench release is invalid: ${JSON.stringify(problems[0])}`);

    const deploys: number[] = [];
    for (const environment of ENVIRONMENTS) {
      const start = performance.now();
      const result = await deployRelease(
        deps,
        { environment, principal: 'olivia', at: AT, catalog: stored },
        RELEASE,
        { overrideSignoffsReason: 'bench' },
      );
      deploys.push(performance.now() - start);
      if (result.deployment.kind !== 'release') throw new Error('expected a release deployment');
    }
    const after = await store.environments.getHead('bench-0');
    const deployed = await store.snapshots.getSnapshot(after?.snapshot ?? '');
    const bytes = Buffer.byteLength(JSON.stringify(deployed));
    return { pure, load, deploys, bytes, bundles: deployed.bundles.length };
  } finally {
    await doc.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    doc.destroy();
    await engine.stop();
  }
};

let measured: ReturnType<typeof releaseBench> | undefined;

export const cases: BenchCase[] = [
  {
    name: 'release validate: 20 bundles / 10k keys together (pure)',
    target: 'report',
    run: async () => (await (measured ??= releaseBench())).pure,
  },
  {
    name: `release validate: loadRelease (${ENVIRONMENTS.length} environments)`,
    target: 'report',
    run: async () => (await (measured ??= releaseBench())).load,
  },
  {
    name: 'release deploy: 20 bundles / 10k keys, DynamoDB Local',
    target: 'report',
    run: async () => {
      const { deploys, bytes, bundles } = await (measured ??= releaseBench());
      return {
        samples: deploys,
        notes: {
          'snapshot JSON bytes': bytes,
          'blob chunk items (350,000 bytes each)': Math.ceil(bytes / BLOB_CHUNK_BYTES),
          'bundles live after the deploy': bundles,
        },
      };
    },
  },
];
