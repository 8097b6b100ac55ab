/**
 * The embedded stand-in for the `convoy-audit` EventBridge bus: events are delivered in publish order
 * to every subscriber. A failing subscriber is reported and skipped; it never stops the others.
 */
export interface BusEvent<TDetail> {
  source: string;
  detailType: string;
  time: string;
  detail: TDetail;
}

export type Subscriber<TDetail> = (event: BusEvent<TDetail>) => void | Promise<void>;

export interface LocalEventBus<TDetail> {
  subscribe(name: string, subscriber: Subscriber<TDetail>): () => void;
  publish(event: BusEvent<TDetail>): Promise<void>;
}

export const createEventBus = <TDetail>(
  onSubscriberError: (name: string, error: unknown) => void = () => undefined,
): LocalEventBus<TDetail> => {
  const subscribers = new Map<string, Subscriber<TDetail>>();
  return {
    subscribe(name, subscriber) {
      subscribers.set(name, subscriber);
      return () => {
        subscribers.delete(name);
      };
    },
    async publish(event) {
      for (const [name, subscriber] of subscribers) {
        try {
          await subscriber(event);
        } catch (error) {
          onSubscriberError(name, error);
        }
      }
    },
  };
};
