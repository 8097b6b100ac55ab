import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { announceReleaseEvents } from '#app/releases/announce-release-events.ts';
import { logger } from '#app/logger.ts';
import type { Deps } from '#app/deps.ts';
import { parsePart } from '#domain/core/parse-part.ts';
import { auditEventFromItem } from '#store/items.ts';
import { onLambda } from '../shared/lambda-deps.ts';

/** An audit bus event, as the Pipe shapes it (audit-pipe.ts): the stream record's new image. */
export const auditBusEventSchema = z.object({
  detail: z.object({ item: z.record(z.string(), z.unknown()) }),
});

/**
 * Invoked by a rule on the audit bus for release steps and bundle flips: announces them on the
 * `convoy` bus (ReleaseDeployed, …, ReleasePartial). A failed publish fails the invocation, so
 * EventBridge retries it.
 */
export const make =
  (deps: Deps) =>
  async (event: unknown): Promise<{ announced: string[] }> => {
    const { detail } = parsePart(auditBusEventSchema, event, 'body');
    const audit = auditEventFromItem(unmarshall(detail.item as Record<string, AttributeValue>));
    const announced = await announceReleaseEvents(deps, [audit]);
    const types = announced.map((e) => e.detailType);
    if (types.length > 0) logger.info('release events announced', { types, audit: audit.type });
    return { announced: types };
  };

export const handler = onLambda(make);
