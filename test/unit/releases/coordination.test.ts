import { describe, expect, it } from 'vitest';
import { planRelease, releasePlanOf } from '#domain/releases/coordination.ts';
import {
  checkoutTimeouts,
  identitySession,
  releaseBundles,
  releaseCatalog,
  searchRanking,
} from '../../fixtures/releases/three-teams.ts';

const now = new Date('2026-12-01T00:00:00Z');

describe('the release plan from impact analysis', () => {
  it('orders the three-team release by its dependencies and asks each team for its part', () => {
    const plan = planRelease(releaseCatalog(), [searchRanking(), checkoutTimeouts(), identitySession()], now);
    expect(plan.order).toEqual(['identity-session', 'checkout-timeouts', 'search-ranking']);
    expect(plan.cycles).toEqual([]);
    expect(plan.signoffs).toEqual([
      { team: 'identity', bundles: ['identity-session'] },
      { team: 'payments', bundles: ['identity-session', 'checkout-timeouts'] },
      { team: 'search', bundles: ['checkout-timeouts', 'search-ranking'] },
    ]);
  });

  it('drops steps outside the release, keeps cycles by name, and asks affected non-authors for everything', () => {
    const plan = releasePlanOf(
      {
        authors: ['payments'],
        signOff: ['search'],
        order: [
          { id: 'service:checkout-api', after: [] },
          { id: 'bundle:a@1', team: 'payments', after: ['service:checkout-api', 'bundle:old@1'] },
          { id: 'bundle:b@1', after: ['bundle:a@1'] },
        ],
        cycles: [['bundle:a@1', 'bundle:b@1'], ['bundle:old@1']],
      },
      new Set(['a', 'b']),
    );
    expect(plan).toEqual({
      order: ['a', 'b'],
      signoffs: [{ team: 'payments', bundles: ['a'] }, { team: 'search' }],
      cycles: [['a', 'b']],
    });
  });

  it('is the whole release when only one bundle is in it', () => {
    const plan = planRelease(releaseCatalog(), releaseBundles().slice(0, 1), now);
    expect(plan.signoffs).toEqual([{ team: 'identity', bundles: ['identity-session'] }]);
  });
});
