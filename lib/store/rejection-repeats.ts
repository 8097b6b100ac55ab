import { randomUUID } from 'node:crypto';
import type { AuditDraft, AuditEvent } from '#domain/audit/event.ts';
import { contentHash } from '#domain/core/json.ts';
import { writeWithChainEvent } from './chain-writer.ts';
import { conditions, expr } from './expressions.ts';
import { jsonOf } from './freeze-items.ts';
import { num } from './items.ts';
import { FREEZE_CHAIN, itemTypes, keys } from './keys.ts';
import type { ChangeRejection, ListedAuditEvent } from './ports.ts';
import { unavailable } from './sdk-errors.ts';
import type { TableClient } from './table-client.ts';

/**
 * Repeated refusals. The same refusal (principal, environment, change kind, bundle, override, windows,
 * code and reason) repeated within one minute is ONE `ChangeRejected` event on `_freeze`, with a count.
 *
 * The count never touches the event: events are hash-chained (an event's hash covers its detail, the
 * next event's prevHash covers that hash), so rewriting one with a count would fail `convoy audit
 * verify`. It lives on a counter item beside the chain, `REJECTED#<fingerprint>` / `MINUTE#<minute>`:
 *   - the first refusal of the minute Puts the counter (count 1, condition: absent) in the SAME
 *     transaction as its event, so concurrent identical refusals write exactly one event;
 *   - every repeat is a conditional Update of the counter (ADD count 1, condition: it exists), which
 *     records no new fact for the chain: it says how many times the chained fact occurred.
 * The event's detail names its counter (`repeatKey`, the fingerprint; the minute is the event's own),
 * and readers of the audit log see the event with `count` (listedWithCounts). Counter items have no TTL:
 * they are part of the record.
 */

const RECORD_ATTEMPTS = 4;

/** What makes two refusals the same: everything but the instant. */
export const rejectionFingerprint = (rejection: ChangeRejection): string =>
  contentHash({ ...jsonOf(rejection), at: undefined });

/** The minute of an ISO instant (`yyyy-mm-ddThh:mm`, UTC). */
const minuteOf = (at: string): string => new Date(Date.parse(at)).toISOString().slice(0, 16);

export const recordRepeatedRejection = async (
  table: TableClient,
  rejection: ChangeRejection,
): Promise<void> => {
  const repeatKey = rejectionFingerprint(rejection);
  const counter = keys.rejectionCount(repeatKey, minuteOf(rejection.at));
  const draft: AuditDraft = {
    type: 'ChangeRejected',
    at: rejection.at,
    actor: rejection.principal,
    subject: rejection.environment,
    // refusalId: two identical refusals at the same instant still make two distinct transactions (the
    // chain writer's token derives from the event), so one writes the event and the other counts on it.
    detail: { ...jsonOf(rejection), repeatKey, refusalId: randomUUID() },
  };
  for (let attempt = 1; attempt <= RECORD_ATTEMPTS; attempt += 1) {
    if (await table.addIf(counter, 'count', 1, expr('attribute_exists(#pk)'))) return;
    const result = await writeWithChainEvent(table, FREEZE_CHAIN, draft, [
      table.putOp(
        { ...counter, type: itemTypes.rejectionCount, chain: FREEZE_CHAIN, count: 1, firstAt: rejection.at },
        conditions.absent,
      ),
    ]);
    if (result.status === 'committed') return;
    // An identical refusal wrote this minute's event first: count on it.
  }
  throw unavailable(new Error(`recording a repeated rejection: gave up after ${RECORD_ATTEMPTS} attempts`));
};

/** Events as listed: a `ChangeRejected` event with a counter carries `count` (1 for a single refusal). */
export const listedWithCounts = async (
  table: TableClient,
  events: AuditEvent[],
): Promise<ListedAuditEvent[]> =>
  Promise.all(
    events.map(async (event) => {
      const repeatKey = event.detail.repeatKey;
      if (event.type !== 'ChangeRejected' || typeof repeatKey !== 'string') return event;
      const counter = await table.get(keys.rejectionCount(repeatKey, minuteOf(event.at)));
      return counter ? { ...event, count: num(counter, 'count') } : event;
    }),
  );
