import type { JsonValue } from '../core/json.ts';
import type { FlagPatch } from './bundle.ts';

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The rule a `split` patch reweighs: `rule` if given, else the first rule with a rollout. */
export const splitRuleIndex = (
  definition: JsonValue | undefined,
  patch: { rule?: number },
): number | undefined => {
  const rules = isObject(definition) && Array.isArray(definition.rules) ? definition.rules : [];
  const index = patch.rule ?? rules.findIndex((rule) => isObject(rule) && isObject(rule.rollout));
  const rule = rules[index];
  return isObject(rule) && isObject(rule.rollout) ? index : undefined;
};

/**
 * A flag definition (as stored in a snapshot) with a patch applied, or undefined when the patch has
 * nothing to apply to (no definition, no rollout to reweigh): validation reports those.
 */
export const applyFlagPatch = (
  definition: JsonValue | undefined,
  patch: FlagPatch,
): JsonValue | undefined => {
  if (!isObject(definition)) return undefined;
  if ('enable' in patch) return { ...definition, enabled: true };
  if ('disable' in patch) return { ...definition, enabled: false };
  if ('rules' in patch) return { ...definition, rules: patch.rules };
  const index = splitRuleIndex(definition, patch);
  if (index === undefined) return undefined;
  const rules = [...(definition.rules as JsonValue[])];
  const rule = rules[index] as JsonObject;
  rules[index] = { ...rule, rollout: { ...(rule.rollout as JsonObject), split: patch.split } };
  return { ...definition, rules };
};
