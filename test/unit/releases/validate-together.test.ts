import { describe, expect, it } from 'vitest';
import type { SealedBundle } from '#domain/bundles/bundle.ts';
import { applyBundle, emptySnapshot } from '#domain/bundles/snapshot.ts';
import type { Snapshot } from '#domain/bundles/snapshot.ts';
import { validateSealedBundle } from '#domain/bundles/validate-bundle.ts';
import { validateReleaseTogether } from '#domain/releases/validate-together.ts';
import {
  checkoutTimeouts,
  identitySession,
  releaseBundles,
  releaseCatalog,
  searchRanking,
  services,
} from '../../fixtures/releases/three-teams.ts';

const catalog = releaseCatalog();
const head = (snapshot: Snapshot = emptySnapshot()) => ({ snapshot, services });
const codes = (bundles: SealedBundle[], snapshot?: Snapshot) =>
  validateReleaseTogether(bundles, 'staging', catalog, head(snapshot)).problems.map((p) => [
    p.bundle,
    p.code,
  ]);

describe('validateReleaseTogether: the three-team release', () => {
  it('is valid applied together in plan order, and yields the snapshot with all three', () => {
    const result = validateReleaseTogether(releaseBundles(), 'staging', catalog, head());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.next?.values).toEqual({
      'identity.session.ttlSeconds': 7200,
      'payments.checkout.timeoutMs': 2500,
      'payments.checkout.sessionWindowSeconds': '${identity.session.ttlSeconds}',
      'search.ranking.budgetMs': '${payments.checkout.timeoutMs}',
    });
    expect(result.next?.bundles.map((b) => b.name)).toEqual([
      'identity-session',
      'checkout-timeouts',
      'search-ranking',
    ]);
  });

  it('is refused bundle by bundle where it must be: each dependent alone breaks its rules', () => {
    const alone = (sealed: SealedBundle) =>
      validateSealedBundle(sealed, { catalog, environment: 'staging', snapshot: emptySnapshot(), services })
        .problems.map((p) => p.code)
        .sort();
    expect(alone(identitySession())).toEqual([]);
    expect(alone(checkoutTimeouts())).toEqual(['dependency.not-deployed', 'value.invalid']);
    expect(alone(searchRanking())).toEqual(['dependency.not-deployed', 'value.invalid']);
  });

  it('does not apply bundles already live, and still checks the rest against them', () => {
    const live = applyBundle(emptySnapshot(), identitySession());
    const result = validateReleaseTogether(releaseBundles(), 'staging', catalog, head(live));
    expect(result.ok).toBe(true);
    expect(result.live.map((s) => s.bundle.name)).toEqual(['identity-session']);
    expect(result.applied.map((s) => s.bundle.name)).toEqual(['checkout-timeouts', 'search-ranking']);
  });

  it('reports a dependency the plan orders later as release.dependency-order', () => {
    const result = validateReleaseTogether(
      [checkoutTimeouts(), identitySession(), searchRanking()],
      'staging',
      catalog,
      head(),
    );
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        bundle: 'checkout-timeouts@3',
        code: 'release.dependency-order',
        message:
          'depends on identity-session@2, which the release applies after it; the plan must order identity-session@2 first',
        path: 'dependsOn[0]',
      },
    ]);
  });

  it.each<[string, SealedBundle[], (string | undefined)[][]]>([
    [
      'a dependency outside the release that is not live',
      [identitySession({ dependsOn: ['audit-keys@1'] }), checkoutTimeouts(), searchRanking()],
      [['identity-session@2', 'dependency.not-deployed']],
    ],
    [
      'a dependency on another version than the release holds',
      [identitySession(), checkoutTimeouts({ dependsOn: ['identity-session@1'] })],
      [['checkout-timeouts@3', 'dependency.not-deployed']],
    ],
    [
      'two bundles setting the same key differently (reported once, on the later)',
      [
        identitySession(),
        checkoutTimeouts(),
        searchRanking({
          team: 'payments',
          changes: [
            { set: 'search.ranking.budgetMs', value: '${payments.checkout.timeoutMs}' },
            { set: 'payments.checkout.timeoutMs', value: 3000 },
          ],
        }),
      ],
      [
        ['search-ranking@1', 'release.conflict'],
        ['search-ranking@1', 'namespace.not-owned'],
      ],
    ],
    [
      'a reference to a key no bundle sets',
      [
        identitySession(),
        checkoutTimeouts({
          dependsOn: [],
          changes: [{ set: 'payments.checkout.timeoutMs', value: '${identity.session.nope}' }],
        }),
      ],
      [['checkout-timeouts@3', 'reference.unresolved']],
    ],
    [
      'a cycle across bundles',
      [
        identitySession({
          changes: [{ set: 'identity.session.ttlSeconds', value: '${payments.checkout.timeoutMs}' }],
        }),
        checkoutTimeouts({
          changes: [{ set: 'payments.checkout.timeoutMs', value: '${identity.session.ttlSeconds}' }],
        }),
      ],
      [
        ['identity-session@2', 'reference.cycle'],
        ['checkout-timeouts@3', 'reference.cycle'],
      ],
    ],
    [
      'a service outside the required range, and a value that does not fit',
      [
        identitySession({
          requires: [{ service: 'session-api', range: '>=2.0.0' }],
          changes: [{ set: 'identity.session.ttlSeconds', value: 10 }],
        }),
      ],
      [
        ['identity-session@2', 'value.invalid'],
        ['identity-session@2', 'service.version-unsatisfied'],
      ],
    ],
    [
      'a change listed twice and an unknown key',
      [
        identitySession({
          changes: [
            { set: 'identity.session.ttlSeconds', value: 100 },
            { set: 'identity.session.ttlSeconds', value: 200 },
            { set: 'identity.session.ttl', value: 1 },
          ],
        }),
      ],
      [
        ['identity-session@2', 'change.duplicate-key'],
        ['identity-session@2', 'key.unknown'],
      ],
    ],
  ])('reports %s', (_, bundles, expected) => {
    expect(codes(bundles)).toEqual(expected);
  });

  it('refuses an unknown environment with a suggestion, applying nothing', () => {
    const result = validateReleaseTogether(releaseBundles(), 'stagin', catalog, head());
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'environment.unknown' }] });
    expect(result.problems[0]?.message).toContain('staging');
    expect(result.next).toBeUndefined();
  });

  it('accepts an environment without reported services when nothing requires one', () => {
    const result = validateReleaseTogether([identitySession()], 'dev', catalog, {
      snapshot: emptySnapshot(),
    });
    expect(result.ok).toBe(true);
  });
});
