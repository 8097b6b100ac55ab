import { z } from 'zod';

/** The parts of Unleash's client API this import reads; anything else is ignored. */
const constraint = z.object({
  contextName: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
  value: z.string().optional(),
  inverted: z.boolean().optional(),
  caseInsensitive: z.boolean().optional(),
});
export type UnleashConstraint = z.infer<typeof constraint>;

const override = z.object({ contextName: z.string(), values: z.array(z.string()) });

const variant = z.object({
  name: z.string(),
  weight: z.number(),
  stickiness: z.string().nullish(),
  payload: z.object({ type: z.string(), value: z.string() }).nullish(),
  overrides: z.array(override).nullish(),
});
export type UnleashVariant = z.infer<typeof variant>;

const strategy = z.object({
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  constraints: z.array(constraint.nullable()).nullish(),
  segments: z.array(z.number()).nullish(),
  variants: z.array(variant).nullish(),
});
export type UnleashStrategy = z.infer<typeof strategy>;

const feature = z.object({
  name: z.string().min(1),
  description: z.string().nullish(),
  enabled: z.boolean(),
  strategies: z.array(strategy).nullish(),
  variants: z.array(variant).nullish(),
  dependencies: z
    .array(
      z.object({
        feature: z.string(),
        enabled: z.boolean().optional(),
        variants: z.array(z.string()).optional(),
      }),
    )
    .nullish(),
});
export type UnleashFeature = z.infer<typeof feature>;

const segment = z.object({ id: z.number(), name: z.string().nullish(), constraints: z.array(constraint) });
export type UnleashSegment = z.infer<typeof segment>;

const event = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hydration'),
    features: z.array(feature),
    segments: z.array(segment).nullish(),
  }),
  z.object({ type: z.literal('feature-updated'), feature }),
  z.object({ type: z.literal('feature-removed'), featureName: z.string() }),
  z.object({ type: z.literal('segment-updated'), segment }),
  z.object({ type: z.literal('segment-removed'), segmentId: z.number() }),
]);

/** `/api/client/features` (features and segments), or the delta API's events, applied in order. */
export const unleashPayloadSchema = z.union([
  z.object({ features: z.array(feature), segments: z.array(segment).nullish() }),
  z.object({ events: z.array(event) }),
]);
export type UnleashPayload = z.infer<typeof unleashPayloadSchema>;

export interface UnleashState {
  features: UnleashFeature[];
  segments: UnleashSegment[];
}

/** The state a payload describes: a full payload as it is, delta events replayed onto an empty state. */
export const unleashState = (payload: UnleashPayload): UnleashState => {
  if ('features' in payload) return { features: payload.features, segments: payload.segments ?? [] };
  const features = new Map<string, UnleashFeature>();
  const segments = new Map<number, UnleashSegment>();
  for (const e of payload.events) {
    if (e.type === 'hydration') {
      features.clear();
      segments.clear();
      for (const f of e.features) features.set(f.name, f);
      for (const s of e.segments ?? []) segments.set(s.id, s);
    } else if (e.type === 'feature-updated') features.set(e.feature.name, e.feature);
    else if (e.type === 'feature-removed') features.delete(e.featureName);
    else if (e.type === 'segment-updated') segments.set(e.segment.id, e.segment);
    else segments.delete(e.segmentId);
  }
  return { features: [...features.values()], segments: [...segments.values()] };
};
