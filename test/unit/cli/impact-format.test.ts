import { describe, expect, it } from 'vitest';
import { formatImpact, formatPath, impactBlockers } from '#cli/impact-format.ts';
import { forwardPath, fullImpact, mixedPath, quietImpact } from './impact-fixtures.ts';

const golden = (name: string): string =>
  new URL(`../../fixtures/dependencies/cli/${name}`, import.meta.url).pathname;

describe('convoy impact and deps why formats', () => {
  it('prints the risk summary first, then every section and the plan (golden)', async () => {
    const text = formatImpact(fullImpact);
    expect(text.split('\n')[0]).toBe(fullImpact.summary);
    await expect(text).toMatchFileSnapshot(golden('impact-full.txt'));
  });

  it('leaves out empty sections and shows - for empty lists (golden)', async () => {
    await expect(formatImpact(quietImpact)).toMatchFileSnapshot(golden('impact-quiet.txt'));
  });

  it('prints one line per hop with the edge kind and direction (golden)', async () => {
    await expect(formatPath(forwardPath) + formatPath(mixedPath)).toMatchFileSnapshot(golden('why.txt'));
  });

  it('blocks on cycles and owed sign-offs, and on nothing else', () => {
    expect(impactBlockers(fullImpact)).toEqual([
      'cycle: bundle:a@1 → bundle:b@1 → bundle:a@1',
      'sign-off required: search',
    ]);
    expect(impactBlockers(quietImpact)).toEqual([]);
    expect(
      impactBlockers({ ...quietImpact, plan: { ...quietImpact.plan, cycles: [['bundle:a@1']] } }),
    ).toHaveLength(1);
  });

  it('starts a path of no hops with its one node', () => {
    expect(formatPath({ nodes: ['team:a'], steps: [], directed: true })).toBe('team:a\n');
  });
});
