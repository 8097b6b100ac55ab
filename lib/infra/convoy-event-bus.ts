import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/** The name of the bus Convoy publishes its notifications on. */
export const CONVOY_BUS_NAME = 'convoy';

export interface ConvoyEventBusProps {
  /** @default `convoy` */
  eventBusName?: string;
}

/**
 * The `convoy` event bus: what Convoy announces for people and other systems to react to —
 * FreezeStarted / FreezeEnded (source `convoy.freeze`) and the override notifications OverrideRequested,
 * OverrideApproved, OverrideRejected, OverrideExpired (source `convoy.override`). The audit trail has its
 * own bus (`convoy-audit`), fed from the table.
 */
export class ConvoyEventBus extends Construct {
  readonly eventBus: EventBus;

  constructor(scope: Construct, id: string, props: ConvoyEventBusProps = {}) {
    super(scope, id);
    this.eventBus = new EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? CONVOY_BUS_NAME,
      description:
        'Convoy notifications: freeze windows starting and ending, emergency override requests and decisions',
    });
  }
}
