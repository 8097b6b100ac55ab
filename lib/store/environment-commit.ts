import { IDEMPOTENCY_KEY_PATTERN } from '#domain/core/names.ts';
import { randomUUID } from 'node:crypto';
import { chainEvent } from '#domain/audit/event.ts';
import { badRequest, ConvoyError, notFound } from '#domain/core/errors.ts';
import { deploymentId, type Head } from '#domain/environments/head.ts';
import { auditEventPut, requestToken } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import {
  awaitOriginal,
  defaultRequestHash,
  idempotencyItem,
  idempotencyPutCondition,
  original,
} from './idempotency.ts';
import { deploymentItem, headAfter, headFromItem } from './items.ts';
import { keys } from './keys.ts';
import type { CommitGuard, CommitResult, EnvironmentChange } from './ports.ts';
import { guardCheckItem } from './freeze-guards.ts';
import { overrideUseItems } from './override-use.ts';
import { internal, unavailable } from './sdk-errors.ts';
import {
  CONDITION_FAILED,
  type CancellationReason,
  type TableClient,
  type TransactItem,
} from './table-client.ts';

const MAX_TRANSACTION_ITEMS = 100;
const IDEMPOTENCY_INDEX = 3;

const invalid = (detail: string): ConvoyError => internal(new Error(`invalid environment change: ${detail}`));

const assertCoherent = ({ environment, expected, deployment, idempotencyKey }: EnvironmentChange): void => {
  if (expected.environment !== environment || deployment.environment !== environment) {
    throw invalid(
      `environment ${environment}, expected HEAD of ${expected.environment}, record of ${deployment.environment}`,
    );
  }
  if (deployment.headVersion !== expected.version + 1) {
    throw invalid(
      `record headVersion ${deployment.headVersion} is not expected version ${expected.version} + 1`,
    );
  }
  if (deployment.id !== deploymentId(environment, deployment.headVersion)) {
    throw invalid(`record id ${deployment.id}`);
  }
  if (deployment.previousSnapshot !== expected.snapshot) {
    throw invalid('record previousSnapshot is not the expected HEAD');
  }
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    throw badRequest('Idempotency-Key must be 1-128 letters, digits, . _ : or -.');
  }
};

/** The SDK items of one domain guard: only this adapter knows how a guard is written. */
const guardItems = async (table: TableClient, guard: CommitGuard): Promise<TransactItem[]> =>
  guard.kind === 'freeze-guard'
    ? [guardCheckItem(table, guard.environment, guard.seenVersion)]
    : overrideUseItems(table, guard.override, guard.use);

export const headMoved = (expected: Head, current: Head): ConvoyError =>
  new ConvoyError(
    'conflict',
    `HEAD of ${current.environment} moved: the change was computed against version ${expected.version} ` +
      `(audit ${expected.audit.seq}) and HEAD is now at version ${current.version} (audit ${current.audit.seq}). ` +
      'Re-read and retry.',
    { context: { head: current } },
  );

const noHead = (environment: string): ConvoyError =>
  notFound(`Environment ${environment} has no HEAD; apply a catalog that lists it.`, { environment });

/**
 * Flip an environment's HEAD in ONE TransactWriteItems:
 *   0. Update HEAD           condition version = expected.version AND auditSeq = expected.audit.seq
 *   1. Put deployment record condition attribute_not_exists
 *   2. Put audit event       condition attribute_not_exists (chained after expected.audit)
 *   3. Put idempotency item  condition absent or expired (only with an idempotency key)
 *   4… change.guards         the extension point, built here from domain values (freeze guard
 *                            ConditionCheck; override Update, its chain head and OverrideUsed event)
 */
export const commitChange = async (table: TableClient, change: EnvironmentChange): Promise<CommitResult> => {
  assertCoherent(change);
  const { environment, expected, deployment, idempotencyKey: key } = change;
  const event = chainEvent(environment, expected.audit, change.audit);
  const head = headAfter(deployment, event);
  const request = { requestHash: change.requestHash ?? defaultRequestHash(deployment), at: deployment.at };
  const own: TransactItem[] = [
    table.updateOp(
      keys.envHead(environment),
      {
        version: head.version,
        snapshot: head.snapshot,
        deploymentId: head.deploymentId,
        updatedAt: head.updatedAt,
        auditSeq: event.seq,
        auditHash: event.hash,
      },
      expr('#version = :version AND #auditSeq = :auditSeq', {
        version: expected.version,
        auditSeq: expected.audit.seq,
      }),
    ),
    table.putOp(deploymentItem(deployment, event.seq), conditions.absent),
    auditEventPut(table, event),
  ];
  if (key !== undefined) {
    own.push(
      table.putOp(
        idempotencyItem(environment, key, deployment, request.requestHash),
        idempotencyPutCondition(deployment.at),
      ),
    );
  }
  // Extension point: guards travel in the same transaction, after the store's own items, so a freeze
  // window (ConditionCheck on its guard) or a single-use override (conditional Update) can veto the flip.
  const built = await Promise.all((change.guards ?? []).map((guard) => guardItems(table, guard)));
  const guards = built.flat();
  // Which domain guard each item belongs to: failures are reported by the caller's index.
  const owners = built.flatMap((items, index) => items.map(() => index));
  if (own.length + guards.length > MAX_TRANSACTION_ITEMS) {
    throw invalid(`${guards.length} guard items is too many`);
  }

  const items = [...own, ...guards];
  // A request without a key never merges with another: its token is its own (the transact retries of
  // this one request reuse it). A token derived from the content would let two identical concurrent
  // requests (same HEAD, principal and instant) both be answered by one commit.
  const ownToken = randomUUID();
  let outcome = await table.transact(
    items,
    key === undefined ? ownToken : requestToken(table, `${environment}:${key}`),
  );
  if (key !== undefined && (outcome.status === 'token-mismatch' || outcome.status === 'in-progress')) {
    const replay = await awaitOriginal(table, environment, key, request);
    if (replay) return replay;
    // The token is remembered from an attempt that did not commit. The idempotency item (condition
    // attribute_not_exists) still guarantees one deployment per key: go on with this request's own token.
    outcome = await table.transact(items, ownToken);
  }
  if (outcome.status === 'committed') return { head, deployment, event };
  const reasons: CancellationReason[] = outcome.status === 'cancelled' ? outcome.reasons : [];
  const failed = (index: number): boolean => reasons[index]?.code === CONDITION_FAILED;

  if (key !== undefined && failed(IDEMPOTENCY_INDEX)) {
    const result = await original(table, environment, key, request, reasons[IDEMPOTENCY_INDEX]?.item);
    if (result) return result;
  }
  const failedItems = guards.map((_, i) => i).filter((i) => failed(own.length + i));
  if (failedItems.length > 0) {
    const failedGuards = [...new Set(failedItems.map((i) => owners[i]))];
    throw new ConvoyError(
      'conflict',
      `The change to ${environment} was refused by a guard of its transaction.`,
      {
        context: { failedGuards, guardItems: failedItems.map((i) => reasons[own.length + i]?.item ?? null) },
      },
    );
  }
  const headItem = failed(0) ? reasons[0]?.item : await table.get(keys.envHead(environment));
  if (!headItem) throw noHead(environment);
  const current = headFromItem(headItem);
  if (current.version !== expected.version || current.audit.seq !== expected.audit.seq) {
    throw headMoved(expected, current);
  }
  const codes = reasons.map((r) => r.code).join(',');
  const cause = new Error(`commit to ${environment} ${outcome.status}: [${codes}]`);
  throw reasons.some((r) => r.code === CONDITION_FAILED) ? internal(cause) : unavailable(cause);
};
