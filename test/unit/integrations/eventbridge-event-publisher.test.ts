import {
  EventBridgeClient,
  EventBridgeServiceException,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConvoyError } from '#domain/core/errors.ts';
import { EventBridgeEventPublisher } from '#integrations/eventbridge-event-publisher.ts';
import type { ConvoyEvent } from '#integrations/ports.ts';

const eventBridge = mockClient(EventBridgeClient);
afterEach(() => {
  eventBridge.reset();
});

const publisher = (maxAttempts?: number) =>
  new EventBridgeEventPublisher({
    client: new EventBridgeClient({}),
    eventBusName: 'convoy',
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
const event = (n: number): ConvoyEvent => ({
  source: 'convoy.freeze',
  detailType: 'FreezeStarted',
  detail: { environment: `env-${n}`, windows: ['w'] },
});

describe('EventBridgeEventPublisher', () => {
  it('puts events on the Convoy bus with JSON details, 10 per call, in order', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await publisher().publish(Array.from({ length: 23 }, (_, n) => event(n)));
    const calls = eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.[0]).toEqual({
      EventBusName: 'convoy',
      Source: 'convoy.freeze',
      DetailType: 'FreezeStarted',
      Detail: '{"environment":"env-0","windows":["w"]}',
    });
    expect(calls.flat().map((e) => JSON.parse(e.Detail ?? '{}').environment)).toEqual(
      Array.from({ length: 23 }, (_, n) => `env-${n}`),
    );
  });

  it('publishes nothing for no events', async () => {
    await publisher().publish([]);
    expect(eventBridge.calls()).toHaveLength(0);
  });

  it('sends again only the entries EventBridge reports as failed', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow' },
          { EventId: 'c' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    await publisher().publish([event(0), event(1), event(2)]);
    const retried = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries;
    expect(retried?.map((e) => JSON.parse(e.Detail ?? '{}').environment)).toEqual(['env-1']);
  });

  it('gives up after the attempts with unavailable, naming how many events were lost', async () => {
    eventBridge.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }],
    });
    const error = (await publisher(2)
      .publish([event(0)])
      .catch((e: unknown) => e)) as ConvoyError;
    expect(error).toBeInstanceOf(ConvoyError);
    expect(error.code).toBe('unavailable');
    expect(error.context).toMatchObject({ failed: 1, errorCodes: ['InternalFailure'] });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('translates a throttled call into unavailable', async () => {
    eventBridge.on(PutEventsCommand).rejects(
      new EventBridgeServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'x',
      }),
    );
    const error = (await publisher()
      .publish([event(0)])
      .catch((e: unknown) => e)) as ConvoyError;
    expect(error.code).toBe('unavailable');
  });

  it('stops when EventBridge counts failures without naming any entry', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }] });
    await publisher().publish([event(0)]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});
