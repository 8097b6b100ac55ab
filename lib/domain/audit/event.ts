import { contentHash } from '../core/json.ts';
import type { JsonObject } from '../core/json.ts';

/** The hash a chain starts from, before its first event. */
export const GENESIS_HASH = '0'.repeat(64);

export const auditEventTypes = [
  'CatalogApplied',
  'BundlePushed',
  'BundleDeployed',
  'EnvironmentRolledBack',
  'ServiceVersionReported',
] as const;
export type AuditEventType = (typeof auditEventTypes)[number] | (string & {});

/** What a change wants to record; the chain position and hashes are added by `chainEvent`. */
export interface AuditDraft {
  type: AuditEventType;
  /** ISO 8601 instant, passed in (the domain has no clock). */
  at: string;
  actor: string;
  /** The thing changed: an environment, bundle ref or `catalog`. */
  subject: string;
  detail: JsonObject;
}

export interface AuditEvent extends AuditDraft {
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainPosition {
  seq: number;
  hash: string;
}

export const chainStart: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/** The hash covers every field except itself, so editing any stored field breaks the chain. */
export const auditEventHash = (event: Omit<AuditEvent, 'hash'>): string =>
  contentHash({
    chain: event.chain,
    seq: event.seq,
    prevHash: event.prevHash,
    type: event.type,
    at: event.at,
    actor: event.actor,
    subject: event.subject,
    detail: event.detail,
  });

/** Place a draft after `previous` on `chain`. */
export const chainEvent = (chain: string, previous: ChainPosition, draft: AuditDraft): AuditEvent => {
  const unsealed = { ...draft, chain, seq: previous.seq + 1, prevHash: previous.hash };
  return { ...unsealed, hash: auditEventHash(unsealed) };
};

export interface ChainVerdict {
  chain: string;
  ok: boolean;
  checked: number;
  firstBad?: { seq: number; reason: string };
}

/**
 * Verify events of one chain in sequence order, optionally against the position the chain's head
 * records (which catches a deleted tail).
 */
export const verifyChain = (
  chain: string,
  events: readonly AuditEvent[],
  head?: ChainPosition,
): ChainVerdict => {
  let previous = chainStart;
  let checked = 0;
  for (const event of events) {
    const bad = (reason: string): ChainVerdict => ({
      chain,
      ok: false,
      checked,
      firstBad: { seq: event.seq, reason },
    });
    if (event.chain !== chain) return bad(`event belongs to chain ${event.chain}`);
    if (event.seq !== previous.seq + 1)
      return bad(`expected sequence ${previous.seq + 1}, found ${event.seq}`);
    if (event.prevHash !== previous.hash) return bad('prevHash does not match the previous event');
    if (auditEventHash(event) !== event.hash) return bad('content does not match its hash (edited)');
    previous = { seq: event.seq, hash: event.hash };
    checked += 1;
  }
  if (head && (head.seq !== previous.seq || head.hash !== previous.hash)) {
    return {
      chain,
      ok: false,
      checked,
      firstBad: {
        seq: previous.seq + 1,
        reason: `head records sequence ${head.seq} but the chain ends at ${previous.seq}`,
      },
    };
  }
  return { chain, ok: true, checked };
};
