import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#store/keys.ts';
import { checkoutTimeouts, sessionTtl } from '../../fixtures/bundles.ts';
import { createTestApi, type TestApi } from '../../support/api.ts';

/**
 * One pass per request (issue 9, item 8): a deploy or rollback attempt reads the environment's HEAD
 * once and plans, gates and commits against that read. Counted on the DynamoDB client itself, so no
 * port or wrapper can hide a read: HEAD GetItems per commit transaction.
 */
interface Counts {
  headReads: number;
  commits: number;
}

const countHeadReads = (api: TestApi, environment: string): { counts: Counts; reset: () => void } => {
  const head = keys.envHead(environment);
  const counts: Counts = { headReads: 0, commits: 0 };
  api.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Key?: { pk?: string; sk?: string };
        TransactItems?: { Update?: { Key?: { pk?: string; sk?: string } } }[];
      };
      if (context.commandName === 'GetItemCommand' && input.Key?.pk === head.pk && input.Key.sk === head.sk)
        counts.headReads += 1;
      if (
        context.commandName === 'TransactWriteItemsCommand' &&
        input.TransactItems?.some(
          (item) => item.Update?.Key?.pk === head.pk && item.Update.Key.sk === head.sk,
        )
      )
        counts.commits += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countHeadReads' },
  );
  return {
    counts,
    reset: () => {
      counts.headReads = 0;
      counts.commits = 0;
    },
  };
};

describe('POST /environments/{env}/deployments reads HEAD once per attempt', () => {
  let api: TestApi;
  let counter: ReturnType<typeof countHeadReads>;
  beforeAll(async () => {
    api = await createTestApi();
    await api.seedCatalog();
    for (const bundle of [checkoutTimeouts, sessionTtl])
      expect((await api.call('POST', '/bundles', { body: bundle })).status).toBe(201);
    const report = await api.call('PUT', '/environments/dev/services/checkout-api', {
      as: 'priya',
      body: { version: '2.4.0' },
    });
    expect(report.status).toBe(200);
    counter = countHeadReads(api, 'dev');
  });

  it.each([
    ['a deploy', { bundle: 'checkout-timeouts@3' }],
    ['another deploy', { bundle: `${sessionTtl.name}@${sessionTtl.version}` }],
    ['a rollback', { rollback: {} }],
  ] as const)('%s: one HEAD read, one commit, one timestamp', async (_what, request) => {
    counter.reset();
    const at = api.clock.now.toISOString();
    const res =
      'rollback' in request
        ? await api.call('POST', '/environments/dev/rollback', { body: request.rollback })
        : await api.call('POST', '/environments/dev/deployments', { body: request });
    expect(res.status, res.text).toBe(201);
    expect(counter.counts.commits).toBe(1);
    expect(counter.counts.headReads / counter.counts.commits).toBe(1);
    const [deployment] = await api.store.environments.listDeployments('dev', 1);
    expect(deployment?.at).toBe(at);
  });
});
