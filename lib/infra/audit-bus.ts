import { Duration } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/** What the audit pipe stamps on every event it puts on the bus. */
export const auditEventSource = 'convoy.audit';
export const auditDetailType = 'Convoy Audit Event';
export const AUDIT_BUS_NAME = 'convoy-audit';

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
