import { Duration } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

import { AUDIT_BUS_NAME, auditEventSource } from '#store/audit-stream.ts';

export { AUDIT_BUS_NAME, auditDetailType, auditEventSource } from '#store/audit-stream.ts';

export interface AuditBusProps {
  /** @default `convoy-audit` */
  eventBusName?: string;
  /** How long archived audit events can be replayed. @default 365 days */
  archiveRetention?: Duration;
}

/** The `convoy-audit` event bus and an archive of every audit event on it. */
export class AuditBus extends Construct {
  readonly eventBus: EventBus;
  readonly archive: Archive;

  constructor(scope: Construct, id: string, props: AuditBusProps = {}) {
    super(scope, id);
    this.eventBus = new EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? AUDIT_BUS_NAME,
      description: 'Convoy audit events, streamed from the table by an EventBridge Pipe',
    });
    this.archive = this.eventBus.archive('Archive', {
      description: 'Every Convoy audit event, replayable',
      eventPattern: { source: [auditEventSource] },
      retention: props.archiveRetention ?? Duration.days(365),
    });
  }
}
