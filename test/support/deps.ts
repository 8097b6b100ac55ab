import type { Deps } from '#app/deps.ts';
import { unconfiguredIntegrations } from '#integrations/unconfigured.ts';

/**
 * The test composition root: the ports a test gives, fail-loud stand-ins for the others. The object is
 * the test's own: a test swaps a port on it (a failing store, a flaky engine) and puts it back.
 */
export const testDeps = (given: Partial<Deps> & Pick<Deps, 'store'>): Deps => ({
  ...unconfiguredIntegrations(),
  now: () => new Date(),
  ...given,
});
