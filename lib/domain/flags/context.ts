/**
 * What a flag is evaluated for: OpenFeature's evaluation context, a flat record of attributes with
 * `targetingKey` as the default stickiness. Constraints read an attribute as text, as Unleash does:
 * strings as they are, numbers and booleans spelled out; anything else (objects, null) is absent.
 */
export type EvaluationContext = Readonly<Record<string, unknown>>;

export const TARGETING_KEY = 'targetingKey';

export const resolveAttribute = (context: EvaluationContext, name: string): string | undefined => {
  if (!Object.hasOwn(context, name)) return undefined;
  const value = context[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
};
