import type { ConvoyEvent, EventPublisher } from '#integrations/ports.ts';
import type { LocalEventBus } from './event-bus.ts';

/** The detail of an event on the local Convoy bus. */
export type ConvoyEventDetail = Record<string, unknown>;

/**
 * The embedded runtime's EventPublisher: events go, in order, to the local stand-in for the `convoy`
 * EventBridge bus (lib/local/event-bus.ts), stamped with the time they were published.
 */
export class LocalEventPublisher implements EventPublisher {
  private readonly bus: LocalEventBus<ConvoyEventDetail>;
  private readonly now: () => Date;

  constructor(bus: LocalEventBus<ConvoyEventDetail>, now: () => Date = () => new Date()) {
    this.bus = bus;
    this.now = now;
  }

  async publish(events: readonly ConvoyEvent[]): Promise<void> {
    for (const event of events) {
      await this.bus.publish({
        source: event.source,
        detailType: event.detailType,
        time: this.now().toISOString(),
        detail: structuredClone(event.detail),
      });
    }
  }
}
