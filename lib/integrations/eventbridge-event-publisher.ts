import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { ConvoyError } from '#domain/core/errors.ts';
import { translateAwsError } from './aws-errors.ts';
import type { ConvoyEvent, EventPublisher } from './ports.ts';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

const SERVICE = 'The event bus';

export interface EventBridgeEventPublisherOptions {
  client: EventBridgeClient;
  /** Name or ARN of the Convoy bus (CONVOY_EVENT_BUS_NAME). */
  eventBusName: string;
  /** Attempts for entries EventBridge reports as failed (throttled, internal). @default 3 */
  maxAttempts?: number;
}

/**
 * Puts Convoy events on the EventBridge bus, 10 per call. Entries that EventBridge reports as failed
 * are sent again, up to `maxAttempts`; what still fails is a ConvoyError `unavailable` naming how many
 * events were not delivered. Events are published in order.
 */
export class EventBridgeEventPublisher implements EventPublisher {
  private readonly client: EventBridgeClient;
  private readonly eventBusName: string;
  private readonly maxAttempts: number;

  constructor(options: EventBridgeEventPublisherOptions) {
    this.client = options.client;
    this.eventBusName = options.eventBusName;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  async publish(events: readonly ConvoyEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      await this.putBatch(events.slice(start, start + PUT_EVENTS_BATCH).map((event) => this.entry(event)));
    }
  }

  private entry(event: ConvoyEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.eventBusName,
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
  }

  private async putBatch(batch: PutEventsRequestEntry[]): Promise<void> {
    let pending = batch;
    let lastErrors: string[] = [];
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt += 1) {
      let response;
      try {
        response = await this.client.send(new PutEventsCommand({ Entries: pending }));
      } catch (error) {
        throw translateAwsError(SERVICE, error);
      }
      const results = response.Entries ?? [];
      if ((response.FailedEntryCount ?? 0) === 0) return;
      // Results are positional: the n-th result belongs to the n-th entry sent.
      lastErrors = [];
      pending = pending.filter((_entry, index) => {
        const code = results[index]?.ErrorCode;
        if (code !== undefined) lastErrors.push(code);
        return code !== undefined;
      });
    }
    if (pending.length === 0) return;
    throw new ConvoyError(
      'unavailable',
      `${SERVICE} did not accept ${pending.length} event(s) after ${this.maxAttempts} attempts; retry the request.`,
      { context: { service: SERVICE, failed: pending.length, errorCodes: [...new Set(lastErrors)] } },
    );
  }
}
