import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createEventBus, type BusEvent, type LocalEventBus } from './event-bus.ts';
import type { ConvoyEventDetail } from './local-event-publisher.ts';

export interface ConvoyBusOptions {
  /** Every event is appended to this file as one JSON line. */
  file: string;
  /** Every event, as it is delivered (the CLI prints a summary). */
  onEvent?: (event: BusEvent<ConvoyEventDetail>) => void;
  onSubscriberError: (name: string, error: unknown) => void;
}

/**
 * The embedded stand-in for the `convoy` EventBridge bus: FreezeStarted/FreezeEnded and the override
 * notifications (OverrideRequested, OverrideApproved, …) land here, in a JSON-lines file and with the
 * runtime's listener.
 */
export const createConvoyBus = (options: ConvoyBusOptions): LocalEventBus<ConvoyEventDetail> => {
  const bus = createEventBus<ConvoyEventDetail>(options.onSubscriberError);
  let ready: Promise<unknown> | undefined;
  bus.subscribe('jsonl', async (event) => {
    ready ??= mkdir(dirname(options.file), { recursive: true });
    await ready;
    await appendFile(options.file, `${JSON.stringify(event)}\n`, 'utf8');
  });
  const { onEvent } = options;
  if (onEvent) bus.subscribe('listener', onEvent);
  return bus;
};
