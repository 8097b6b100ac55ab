import type { SignedCheckpoint } from './checkpoint.ts';
import { verifyChain, type AuditEvent, type ChainPosition, type ChainVerdict } from './event.ts';

/**
 * The registry of chains: one `ChainOpened` event per chain, written in the same transaction that
 * creates the chain (its first event, or an environment's HEAD). It is a chain itself, so deleting a
 * whole chain, head and all, leaves a registered name with nothing behind it.
 */
export const REGISTRY_CHAIN = '_chains';
export const CHAIN_OPENED = 'ChainOpened';

/** A chain as found in the table: its head item (read directly, never through an index) and events. */
export interface StoredChain {
  chain: string;
  /** Undefined when no head item exists. */
  head?: ChainPosition;
  events: readonly AuditEvent[];
}

export type TrailFindingCode =
  | 'chain.no-head'
  | 'chain.unregistered'
  | 'chain.missing'
  | 'checkpoint.signature'
  | 'checkpoint.missing-chain'
  | 'checkpoint.rewound'
  | 'checkpoint.rewritten';

export interface TrailFinding {
  chain: string;
  code: TrailFindingCode;
  message: string;
}

export interface CheckpointReport {
  at: string;
  hash: string;
  keyId: string;
  signature: 'valid' | 'invalid';
  /** Chains that grew since the checkpoint: from its sequence to today's head. */
  since: { chain: string; from: number; to: number }[];
  /** Chains the checkpoint does not know: opened since. */
  opened: string[];
}

export interface TrailVerdict {
  ok: boolean;
  chains: ChainVerdict[];
  findings: TrailFinding[];
  checkpoint: CheckpointReport | null;
}

export interface TrailInput {
  chains: readonly StoredChain[];
  /** The latest checkpoint and whether its signature verified. */
  checkpoint?: { signed: SignedCheckpoint; signatureValid: boolean };
}

const exists = (stored: StoredChain | undefined): stored is StoredChain =>
  stored !== undefined && (stored.head !== undefined || stored.events.length > 0);

const lastSeq = (stored: StoredChain): number => stored.head?.seq ?? stored.events.at(-1)?.seq ?? 0;

const registered = (chains: ReadonlyMap<string, StoredChain>): Set<string> =>
  new Set(
    (chains.get(REGISTRY_CHAIN)?.events ?? [])
      .filter((event) => event.type === CHAIN_OPENED)
      .map((event) => event.subject),
  );

const registryFindings = (chains: ReadonlyMap<string, StoredChain>): TrailFinding[] => {
  const names = registered(chains);
  const findings: TrailFinding[] = [];
  for (const stored of chains.values()) {
    if (stored.chain === REGISTRY_CHAIN || !exists(stored) || names.has(stored.chain)) continue;
    findings.push({
      chain: stored.chain,
      code: 'chain.unregistered',
      message: `chain ${stored.chain} is in the table but the registry (${REGISTRY_CHAIN}) never opened it`,
    });
  }
  for (const name of names) {
    if (exists(chains.get(name))) continue;
    findings.push({
      chain: name,
      code: 'chain.missing',
      message: `the registry opened chain ${name}, but neither its events nor its head are in the table`,
    });
  }
  return findings;
};

const checkpointFindings = (
  chains: ReadonlyMap<string, StoredChain>,
  signed: SignedCheckpoint,
): { findings: TrailFinding[]; since: CheckpointReport['since'] } => {
  const findings: TrailFinding[] = [];
  const since: CheckpointReport['since'] = [];
  const at = signed.digest.at;
  for (const mark of signed.digest.chains) {
    const stored = chains.get(mark.chain);
    if (!exists(stored)) {
      findings.push({
        chain: mark.chain,
        code: 'checkpoint.missing-chain',
        message: `the checkpoint of ${at} has chain ${mark.chain} at sequence ${mark.seq}; it is gone`,
      });
      continue;
    }
    const event = stored.events.find((e) => e.seq === mark.seq);
    const end = lastSeq(stored);
    if (event === undefined) {
      findings.push({
        chain: mark.chain,
        code: 'checkpoint.rewound',
        message: `the checkpoint of ${at} has ${mark.chain} at sequence ${mark.seq}; the chain now ends at ${end}`,
      });
    } else if (event.hash !== mark.hash) {
      findings.push({
        chain: mark.chain,
        code: 'checkpoint.rewritten',
        message: `event ${mark.seq} of ${mark.chain} is not the one the checkpoint of ${at} signed (history rewritten)`,
      });
    } else if (end > mark.seq) {
      since.push({ chain: mark.chain, from: mark.seq, to: end });
    }
  }
  return { findings, since };
};

/**
 * The whole trail: every chain found in the table verified against its own head, the registry against
 * the chains, and the chains against the latest signed checkpoint, which catches what a consistent
 * rewrite (events, hashes and head rewound or recomputed together) cannot hide.
 */
export const verifyTrail = (input: TrailInput): TrailVerdict => {
  const chains = new Map(input.chains.map((c) => [c.chain, c]));
  const sorted = [...chains.values()].sort((a, b) => (a.chain < b.chain ? -1 : 1));
  const verdicts = sorted.map((c) => verifyChain(c.chain, c.events, c.head));
  const findings: TrailFinding[] = sorted
    .filter((c) => c.head === undefined && c.events.length > 0)
    .map((c) => ({
      chain: c.chain,
      code: 'chain.no-head' as const,
      message: `chain ${c.chain} has ${c.events.length} event(s) but no head`,
    }));
  findings.push(...registryFindings(chains));
  let checkpoint: CheckpointReport | null = null;
  if (input.checkpoint !== undefined) {
    const { signed, signatureValid } = input.checkpoint;
    if (!signatureValid) {
      findings.push({
        chain: '',
        code: 'checkpoint.signature',
        message: `the signature of the checkpoint of ${signed.digest.at} does not verify with key ${signed.keyId}`,
      });
    }
    const compared = checkpointFindings(chains, signed);
    findings.push(...compared.findings);
    const known = new Set(signed.digest.chains.map((c) => c.chain));
    checkpoint = {
      at: signed.digest.at,
      hash: signed.hash,
      keyId: signed.keyId,
      signature: signatureValid ? 'valid' : 'invalid',
      since: compared.since,
      opened: sorted.filter((c) => !known.has(c.chain) && lastSeq(c) > 0).map((c) => c.chain),
    };
  }
  return { ok: verdicts.every((v) => v.ok) && findings.length === 0, chains: verdicts, findings, checkpoint };
};
