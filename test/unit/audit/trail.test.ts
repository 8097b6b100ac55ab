import { describe, expect, it } from 'vitest';
import { checkpointDigest, digestHash, digestText } from '#domain/audit/checkpoint.ts';
import { chainEvent, chainStart, type AuditEvent } from '#domain/audit/event.ts';
import { CHAIN_OPENED, REGISTRY_CHAIN, verifyTrail, type StoredChain } from '#domain/audit/trail.ts';

const draft = (type: string, subject = 'x') => ({
  type,
  at: '2026-11-23T10:00:00Z',
  actor: 'olivia',
  subject,
  detail: {},
});

const chainOf = (chain: string, count: number): AuditEvent[] => {
  const events: AuditEvent[] = [];
  let position = chainStart;
  for (let i = 0; i < count; i += 1) {
    const event = chainEvent(chain, position, draft('Something'));
    events.push(event);
    position = { seq: event.seq, hash: event.hash };
  }
  return events;
};

const stored = (chain: string, events: AuditEvent[], head = true): StoredChain => {
  const last = events.at(-1);
  return {
    chain,
    events,
    ...(head ? { head: last === undefined ? chainStart : { seq: last.seq, hash: last.hash } } : {}),
  };
};

const registryOf = (...chains: string[]): StoredChain => {
  const events: AuditEvent[] = [];
  let position = chainStart;
  for (const chain of chains) {
    const event = chainEvent(REGISTRY_CHAIN, position, draft(CHAIN_OPENED, chain));
    events.push(event);
    position = { seq: event.seq, hash: event.hash };
  }
  return stored(REGISTRY_CHAIN, events);
};

describe('verifying the whole trail', () => {
  const global = stored('_global', chainOf('_global', 3));
  const dev = stored('dev', chainOf('dev', 2));

  it.each([
    ['every chain registered and intact', [registryOf('_global', 'dev'), global, dev], []],
    [
      'a chain the registry never opened',
      [registryOf('_global'), global, dev],
      [['dev', 'chain.unregistered']],
    ],
    [
      'a registered chain with nothing left',
      [registryOf('_global', 'dev'), global],
      [['dev', 'chain.missing']],
    ],
    [
      'events without a head',
      [registryOf('_global', 'dev'), global, stored('dev', chainOf('dev', 2), false)],
      [['dev', 'chain.no-head']],
    ],
    ['an empty environment (a HEAD, no events yet) is fine', [registryOf('dev'), stored('dev', [])], []],
  ])('%s', (_, chains, expected) => {
    const verdict = verifyTrail({ chains });
    expect(verdict.findings.map((f) => [f.chain, f.code])).toEqual(expected);
    expect(verdict.ok).toBe(expected.length === 0);
    expect(verdict.checkpoint).toBeNull();
  });

  it('reports the chains opened since a checkpoint, and not empty ones', () => {
    const digest = checkpointDigest(
      '2026-11-23T11:00:00Z',
      new Map([
        ['_global', { seq: 3, hash: (global.events[2] as AuditEvent).hash }],
        ['empty', chainStart],
      ]),
      null,
    );
    expect(digest.chains.map((c) => c.chain)).toEqual(['_global']);
    const signed = { digest, hash: digestHash(digest), signature: 's', keyId: 'k', algorithm: 'a' };
    const verdict = verifyTrail({
      chains: [registryOf('_global', 'dev', 'staging'), global, dev, stored('staging', [])],
      checkpoint: { signed, signatureValid: true },
    });
    expect(verdict.checkpoint).toMatchObject({ since: [], opened: ['_chains', 'dev'], signature: 'valid' });
    expect(verdict.ok).toBe(true);
  });

  it('signs canonical JSON, whatever the order the heads came in', () => {
    const heads = (order: string[]) => new Map(order.map((c) => [c, { seq: 1, hash: c }]));
    const a = checkpointDigest('2026-11-23T11:00:00Z', heads(['b', 'a', 'c']), 'p');
    const b = checkpointDigest('2026-11-23T11:00:00Z', heads(['c', 'b', 'a']), 'p');
    expect(digestText(a)).toBe(digestText(b));
    expect(digestHash(a)).toBe(digestHash(b));
  });
});
