import { marshall } from '@aws-sdk/util-dynamodb';
import type { AuditEvent } from '#domain/audit/event.ts';
import { partialCauses, releaseLifecycleTypes } from '#domain/releases/release-notification.ts';
import { auditEventItem } from '#store/items.ts';

/** The function the audit bus rule invokes on AWS (lib/infra/convoy-stack.ts), for the same types. */
export const RELEASE_ANNOUNCER_ENTRY = 'functions/events/release-announcer.ts';
export const releaseAnnouncerTypes: ReadonlySet<string> = new Set([
  ...releaseLifecycleTypes,
  ...partialCauses,
]);

/** An audit event as the Pipe puts it on the audit bus: the table item's new image, marshalled. */
export const auditBusEnvelope = (event: AuditEvent): { detail: { item: Record<string, unknown> } } => ({
  detail: { item: marshall(auditEventItem(event), { removeUndefinedValues: true }) },
});
