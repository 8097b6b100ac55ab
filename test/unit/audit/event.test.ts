import { describe, expect, it } from 'vitest';
import { chainEvent, chainStart, GENESIS_HASH, verifyChain } from '#domain/audit/event.ts';
import type { AuditDraft, AuditEvent } from '#domain/audit/event.ts';

const draft = (n: number): AuditDraft => ({
  type: 'BundleDeployed',
  at: `2026-12-01T10:00:0${n}.000Z`,
  actor: 'olivia',
  subject: 'staging',
  detail: { n },
});

const chainOf = (length: number): AuditEvent[] => {
  const events: AuditEvent[] = [];
  let position = chainStart;
  for (let i = 1; i <= length; i += 1) {
    const event = chainEvent('staging', position, draft(i));
    events.push(event);
    position = { seq: event.seq, hash: event.hash };
  }
  return events;
};

describe('audit hash chain', () => {
  it('links each event to the previous one, starting from the genesis hash', () => {
    const [first, second] = chainOf(2);
    expect(first).toMatchObject({ chain: 'staging', seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
  });

  it('verifies an intact chain, with or without its head position', () => {
    const events = chainOf(3);
    expect(verifyChain('staging', events)).toEqual({ chain: 'staging', ok: true, checked: 3 });
    expect(verifyChain('staging', events, { seq: 3, hash: events[2]!.hash }).ok).toBe(true);
  });

  it.each<[string, (events: AuditEvent[]) => AuditEvent[], { seq: number; reason: string }]>([
    [
      'an edited field',
      (events) => events.map((e) => (e.seq === 2 ? { ...e, actor: 'mallory' } : e)),
      { seq: 2, reason: 'content does not match its hash (edited)' },
    ],
    [
      'a removed event',
      (events) => events.filter((e) => e.seq !== 2),
      { seq: 3, reason: 'expected sequence 2, found 3' },
    ],
    [
      'a relinked event',
      (events) => events.map((e) => (e.seq === 3 ? { ...e, prevHash: GENESIS_HASH } : e)),
      { seq: 3, reason: 'prevHash does not match the previous event' },
    ],
    [
      'an event of another chain',
      (events) => events.map((e) => (e.seq === 1 ? { ...e, chain: 'prod-eu' } : e)),
      { seq: 1, reason: 'event belongs to chain prod-eu' },
    ],
  ])('names the first bad event after %s', (_, tamper, firstBad) => {
    expect(verifyChain('staging', tamper(chainOf(3)))).toMatchObject({ ok: false, firstBad });
  });

  it('catches a deleted tail through the head position', () => {
    const events = chainOf(3);
    expect(verifyChain('staging', events.slice(0, 2), { seq: 3, hash: events[2]!.hash })).toEqual({
      chain: 'staging',
      ok: false,
      checked: 2,
      firstBad: { seq: 3, reason: 'head records sequence 3 but the chain ends at 2' },
    });
  });
});
