import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { simulateRollout } from '#local/rollout-simulator.ts';
import { sessionTtl } from '../../fixtures/bundles.ts';
import { fixtureCatalog, START, ungated } from './support.ts';

/** Without an engine given (nor CONVOY_DYNAMODB_ENDPOINT), the simulator runs its own, and stops it. */
const javaChildren = (): string[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('java'));
  } catch {
    return []; // ps exits 1 when the process has no children
  }
};

describe('simulator on its own engine', () => {
  it('starts DynamoDB Local in memory for the simulation and leaves no java behind', async () => {
    const endpoint = process.env.CONVOY_DYNAMODB_ENDPOINT;
    delete process.env.CONVOY_DYNAMODB_ENDPOINT;
    try {
      const run = await simulateRollout({
        strategy: ungated(),
        scenario: { monitoring: [{ from: 'PT1M' }] },
        bundle: { document: sessionTtl },
        catalog: { document: fixtureCatalog },
        start: START,
      });
      expect(run.outcome).toBe('paused');
      expect(javaChildren()).toEqual([]);
    } finally {
      if (endpoint !== undefined) process.env.CONVOY_DYNAMODB_ENDPOINT = endpoint;
    }
  });
});
