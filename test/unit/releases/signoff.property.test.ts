import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalFor, signoffFor, signoffStatus, signoffValid } from '#domain/releases/signoff.ts';
import type { CoveredBundle } from '#domain/releases/signoff.ts';
import { RELEASE, releasePlan } from '../../fixtures/releases/three-teams.ts';

const NAMES = ['identity-session', 'checkout-timeouts', 'search-ranking'];
/** A release: each name present or not, at some content. */
const releaseArb = fc
  .tuple(...NAMES.map(() => fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined })))
  .map((contents) =>
    contents.flatMap((content, i): CoveredBundle[] =>
      content === undefined ? [] : [{ name: NAMES[i] ?? '', version: String(content), hash: `h${content}` }],
    ),
  );

describe('sign-off invalidation (properties)', () => {
  it('a sign-off holds iff its scope is unchanged by name and hash', () => {
    fc.assert(
      fc.property(
        releaseArb,
        releaseArb,
        fc.constantFrom('identity', 'payments', 'search'),
        (then, now, team) => {
          const plan = releasePlan();
          const signoff = signoffFor({ release: RELEASE, team, principal: 'p', at: 't' }, plan, then);
          const scope = plan.signoffs.find((s) => s.team === team)?.bundles ?? [];
          const key = (bundles: CoveredBundle[]) =>
            bundles
              .filter((b) => scope.includes(b.name))
              .map((b) => `${b.name}:${b.hash}`)
              .sort()
              .join(',');
          const inScope = now.filter((b) => scope.includes(b.name));
          expect(signoffValid(signoff, inScope).valid).toBe(key(then) === key(now));
          const status = signoffStatus(plan, now, [signoff], []);
          expect(status.teams.find((t) => t.team === team)?.state).toBe(
            key(then) === key(now) ? 'signed' : 'stale',
          );
        },
      ),
    );
  });

  it('an approval holds iff the whole release is unchanged', () => {
    fc.assert(
      fc.property(releaseArb, releaseArb, (then, now) => {
        const approval = approvalFor({ release: RELEASE, principal: 'olivia', at: 't' }, then);
        const same = JSON.stringify(then) === JSON.stringify(now);
        expect(signoffStatus(releasePlan(), now, [], [approval]).approval.state).toBe(
          same ? 'signed' : 'stale',
        );
      }),
    );
  });
});
