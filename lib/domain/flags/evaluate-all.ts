import type { EvaluationContext } from './context.ts';
import type { FlagEnvironment } from './evaluate.ts';
import { evaluateKey } from './evaluate.ts';
import type { EvaluationResult } from './evaluation-result.ts';

export type KeyedResult = EvaluationResult & { key: string };

/** Every flag of the environment for one context, in key order (OFREP's bulk evaluation, a provider's cache). */
export const evaluateAll = (context: EvaluationContext, env: FlagEnvironment): KeyedResult[] =>
  Object.keys(env.flags)
    .sort()
    .map((key) => ({ key, ...evaluateKey(key, context, env) }));
