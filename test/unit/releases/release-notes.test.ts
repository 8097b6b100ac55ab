import { describe, expect, it } from 'vitest';
import { releaseNotesMarkdown } from '#cli/release-notes-format.ts';
import { applyBundle, emptySnapshot } from '#domain/bundles/snapshot.ts';
import { catalogSchema } from '#domain/catalog/catalog.ts';
import { MASK, releaseNotes, type ReleaseNotesInput } from '#domain/releases/release-notes.ts';
import { approvalFor, signoffFor, signoffStatus } from '#domain/releases/signoff.ts';
import {
  RELEASE,
  checkoutTimeouts,
  identitySession,
  releaseCatalog,
  releasePlan,
  searchRanking,
} from '../../fixtures/releases/three-teams.ts';

const golden = (name: string): string => `../../fixtures/releases/notes/${name}`;

/** The three-team catalog with identity's TTL marked sensitive and one flag. */
const catalog = catalogSchema.parse({
  ...releaseCatalog(),
  parameters: releaseCatalog().parameters.map((p) =>
    p.key === 'identity.session.ttlSeconds' ? { ...p, sensitive: true } : p,
  ),
  flags: [{ key: 'search.ranking.newModel', type: 'boolean' }],
});

const source = {
  repository: 'git@example.com:search/config.git',
  commit: 'a1b2c3d4e5f6a7b8c9d0',
  path: 'bundles/ranking.yaml',
};
const ranking = searchRanking({
  description: 'Ranking budget follows checkout’s timeout.',
  tickets: ['SRCH-12', 'SRCH-15'],
  source,
  changes: [
    { set: 'search.ranking.budgetMs', value: '${payments.checkout.timeoutMs}' },
    { delete: 'search.ranking.mode' },
    { flag: 'search.ranking.newModel', enable: true },
  ],
});
const sealed = [identitySession(), checkoutTimeouts(), ranking];
const covered = sealed.map((s) => ({ name: s.bundle.name, version: s.bundle.version, hash: s.hash }));
const at = '2026-12-02T10:00:00Z';
const signoffs = signoffStatus(
  releasePlan(),
  covered,
  [signoffFor({ release: RELEASE, team: 'identity', principal: 'ivan', at }, releasePlan(), covered)],
  [approvalFor({ release: RELEASE, principal: 'olivia', at }, covered)],
);

/** prod as it is: identity's TTL explicit, search's mode set, the flag defined but off. */
const prod = applyBundle(emptySnapshot(), {
  hash: 'h0',
  bundle: {
    ...identitySession().bundle,
    name: 'baseline',
    version: '1',
    changes: [
      { set: 'identity.session.ttlSeconds', value: 3600 },
      { set: 'search.ranking.mode', value: 'classic' },
      {
        set: 'search.ranking.newModel',
        value: {
          variants: { on: true, off: false },
          defaultVariant: 'on',
          offVariant: 'off',
          enabled: false,
        },
      },
    ],
  },
});

const input = (overrides: Partial<ReleaseNotesInput> = {}): ReleaseNotesInput => ({
  release: RELEASE,
  description: 'December release',
  sealed,
  catalog,
  environment: { name: 'prod', snapshot: prod },
  signoffs,
  ...overrides,
});

describe('release notes', () => {
  const notes = releaseNotes(input());
  const changes = notes.teams.flatMap((t) => t.bundles.flatMap((b) => b.changes));
  const change = (key: string) => changes.find((c) => c.key === key);

  it('lists teams and bundles in plan order, with tickets, source and description', () => {
    expect(notes.teams.map((t) => [t.team, t.bundles.map((b) => b.bundle)])).toEqual([
      ['identity', ['identity-session@2']],
      ['payments', ['checkout-timeouts@3']],
      ['search', ['search-ranking@1']],
    ]);
    expect(notes.teams[2]?.bundles[0]).toMatchObject({ tickets: ['SRCH-12', 'SRCH-15'], source });
    expect(notes.teams[0]?.bundles[0]?.tickets).toEqual([]);
  });

  it.each([
    // key, action, before, after, which side is the catalog default
    ['identity.session.ttlSeconds', 'set', MASK, MASK, []],
    ['payments.checkout.timeoutMs', 'set', 2000, 2500, ['before']],
    ['search.ranking.budgetMs', 'set', 3000, '${payments.checkout.timeoutMs}', ['before']],
    ['search.ranking.mode', 'delete', 'classic', 'classic', ['after']],
  ] as const)('%s: %s, %j → %j', (key, action, before, after, defaulted) => {
    expect(change(key)).toEqual({
      key,
      kind: 'parameter',
      action,
      before,
      after,
      ...(defaulted.length > 0 ? { defaulted } : {}),
      masked: key === 'identity.session.ttlSeconds',
    });
  });

  it('shows a flag patch with the definition before and after', () => {
    expect(change('search.ranking.newModel')).toMatchObject({
      kind: 'flag',
      action: 'enable',
      before: expect.objectContaining({ enabled: false }),
      after: expect.objectContaining({ enabled: true }),
    });
  });

  it('takes the values before a bundle from the earlier bundles of the release', () => {
    const twice = releaseNotes(
      input({
        sealed: [
          checkoutTimeouts(),
          checkoutTimeouts({
            name: 'checkout-more',
            version: '1',
            dependsOn: [],
            changes: [{ set: 'payments.checkout.timeoutMs', value: 3000 }],
          }),
        ],
      }),
    );
    const second = twice.teams[0]?.bundles[1]?.changes[0];
    expect(second).toEqual(expect.objectContaining({ before: 2500, after: 3000 }));
    expect(second?.defaulted).toBeUndefined();
  });

  it('without an environment, gives values after only', () => {
    const bare = releaseNotes(input({ environment: undefined }));
    expect(bare.environment).toBeUndefined();
    expect(bare.teams.flatMap((t) => t.bundles.flatMap((b) => b.changes)).some((c) => 'before' in c)).toBe(
      false,
    );
  });

  it('says who signed: identity signed, payments and search missing, approved by olivia', () => {
    expect(notes.teams.map((t) => [t.team, t.signoff, t.signedBy])).toEqual([
      ['identity', 'signed', 'ivan'],
      ['payments', 'missing', undefined],
      ['search', 'missing', undefined],
    ]);
    expect(notes.approval).toEqual({ state: 'signed', by: 'olivia' });
  });

  it('names a team the plan does not ask to sign off', () => {
    const unplanned = releaseNotes(input({ signoffs: { ...signoffs, teams: [] } }));
    expect(unplanned.teams.every((t) => t.signoff === 'not-required')).toBe(true);
  });

  it('never shows a sensitive value, in any format', () => {
    const ttl = JSON.stringify(change('identity.session.ttlSeconds'));
    const line = releaseNotesMarkdown(notes)
      .split('\n')
      .filter((l) => l.includes('ttlSeconds (sensitive)'));
    expect(line).toHaveLength(1);
    expect(ttl + line.join('')).not.toMatch(/3600|7200/);
  });

  it('matches the golden Markdown, with and without an environment', async () => {
    await expect(releaseNotesMarkdown(notes)).toMatchFileSnapshot(golden('prod.md'));
    const bare = releaseNotes(
      input({
        environment: undefined,
        description: undefined,
        signoffs: { ...signoffs, approval: { state: 'missing' } },
      }),
    );
    await expect(releaseNotesMarkdown(bare)).toMatchFileSnapshot(golden('no-environment.md'));
  });
});
