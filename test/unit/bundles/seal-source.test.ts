import { describe, expect, it } from 'vitest';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { sealBundle } from '#domain/bundles/seal.ts';
import { identitySession } from '../../fixtures/releases/three-teams.ts';

const source = { repository: 'https://git.example.com/identity.git', commit: 'abcdef1', path: 'b.yaml' };

describe('a bundle’s source', () => {
  it('is where the bundle came from, not what it is: the hash ignores it', () => {
    const plain = identitySession();
    const sourced = identitySession({ source });
    const later = identitySession({ source: { ...source, commit: 'abcdef2' } });
    expect(sourced.hash).toBe(plain.hash);
    expect(later.hash).toBe(plain.hash);
    expect(sealBundle(sourced.bundle).bundle.source).toEqual(source);
  });

  it('is part of the content otherwise: tickets change the hash', () => {
    expect(identitySession({ tickets: ['ID-1'] }).hash).not.toBe(identitySession().hash);
  });

  it.each([
    ['commit', { ...source, commit: 'main' }, 'source.commit'],
    ['commit', { ...source, commit: 'ABCDEF1' }, 'source.commit'],
    ['unknown field', { ...source, branch: 'main' }, 'source.branch'],
    ['empty path', { ...source, path: '' }, 'source.path'],
  ])('refuses a bad %s, naming the field', (_what, bad, path) => {
    const parsed = parseBundle({ ...identitySession().bundle, source: bad });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.path)).toContain(path);
  });
});
