import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '#domain/audit/event.ts';
import { auditDetailType, auditEventSource } from './audit-filter.ts';
import type { BusEvent, LocalEventBus } from './event-bus.ts';

/** How the outbox relay reaches the table and the bus, by stream or, without one, by polling. */
export interface AuditRelayOptions {
  endpoint: string;
  tableName: string;
  /** The table's stream; without one the relay polls the audit index instead. */
  streamArn: string | undefined;
  bus: LocalEventBus<AuditEvent>;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

export const auditBusEvent = (event: AuditEvent): BusEvent<AuditEvent> => ({
  source: auditEventSource,
  detailType: auditDetailType,
  time: event.at,
  detail: event,
});

/** Read through a call, so a check after an await is not narrowed away. */
export const isStopped = (signal: AbortSignal): boolean => signal.aborted;

export const pause = async (ms: number, signal: AbortSignal): Promise<void> => {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // aborted: the relay is stopping
  }
};
