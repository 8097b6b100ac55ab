import type { Command } from 'commander';
import type { AuditTrailReport } from '#app/audit/verify-audit-trail.ts';
import type { SignedCheckpoint } from '#domain/audit/checkpoint.ts';
import type { AuditEvent } from '#domain/audit/event.ts';
import { auditTarget } from '#local/audit-sinks.ts';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';

/** `convoy audit list`. */
export const list = async (
  options: { env?: string; from?: string; to?: string; limit?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<{ events: AuditEvent[] }>('GET', '/audit', {
    query: { env: options.env, from: options.from, to: options.to, limit: options.limit },
  });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  if (result.events.length === 0) {
    ctx.out.line('No audit events match.');
    return;
  }
  ctx.out.table(
    result.events.map((e) => [e.at, `${e.chain} #${e.seq}`, e.type, auditTarget(e), e.actor]),
    { header: ['AT', 'EVENT', 'TYPE', 'SUBJECT', 'BY'] },
  );
};

/** `convoy audit verify`. */
export const verify = async (options: { env?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<AuditTrailReport>('GET', '/audit/verify', {
    query: { env: options.env },
  });
  if (!result.ok) ctx.setExitCode(exitCodes.rejected);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.table(
    result.chains.map((c) => [
      c.ok ? ctx.out.style('green', '✓') : ctx.out.style('red', '✗'),
      c.chain,
      `${c.checked} event(s) verified`,
      c.firstBad ? `first bad event: ${c.chain} #${c.firstBad.seq}: ${c.firstBad.reason}` : '',
    ]),
  );
  for (const finding of result.findings) {
    ctx.out.line(`${ctx.out.style('red', '✗')} ${finding.code}  ${finding.message}`);
  }
  ctx.out.line(checkpointLine(result));
  ctx.out.line(result.ok ? 'The audit trail is intact.' : ctx.out.style('red', 'The audit trail is broken.'));
};

/** `convoy audit checkpoint`. */
export const checkpoint = async (_options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const signed = await ctx.client().call<SignedCheckpoint>('POST', '/audit/checkpoints');
  if (ctx.json) {
    ctx.out.data(signed);
    return;
  }
  ctx.out.line(
    `${ctx.out.style('green', '✓')} checkpoint ${signed.hash.slice(0, 16)} at ${signed.digest.at}: ` +
      `${signed.digest.chains.length} chain(s), signed by ${signed.keyId} (${signed.algorithm})`,
  );
};

/** What the latest checkpoint says: its time and signature, and what changed since. */
export const checkpointLine = (report: AuditTrailReport): string => {
  const checkpoint = report.checkpoint;
  if (checkpoint === null) {
    return report.checkpointsConfigured
      ? 'No checkpoint yet: take one with `convoy audit checkpoint`.'
      : 'Checkpoints are not configured here: chains are checked against their own heads only.';
  }
  const grown = checkpoint.since.map((c) => `${c.chain} +${c.to - c.from}`);
  const changes = [...grown, ...checkpoint.opened.map((c) => `${c} (new)`)];
  return (
    `Checkpoint ${checkpoint.hash.slice(0, 16)} of ${checkpoint.at} (signature ${checkpoint.signature}); ` +
    `since then: ${changes.length === 0 ? 'nothing' : changes.join(', ')}.`
  );
};
