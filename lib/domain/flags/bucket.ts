import murmurhash3js from 'murmurhash3js';
import type { Bucketing, SplitEntry } from './flag.ts';
import type { EvaluationContext } from './context.ts';
import { resolveAttribute, TARGETING_KEY } from './context.ts';

/**
 * Bucketing, as the Unleash clients do it so that imported flags bucket identically: MurmurHash3 x86
 * 32-bit (the `murmurhash3js` package unleash-client uses) of `"<groupId>:<value>"` with `seed`,
 * modulo the bucket count. Convoy's own default is seed 0 and 1,000 buckets (thousandths); Unleash
 * strategies use seed 0 and 100 buckets, Unleash variants seed 86028157 and their total weight.
 *
 * A split covers the buckets with cumulative ranges in declared order: entry i owns
 * [w0 + … + w(i-1), w0 + … + wi). Growing an entry's weight (taking it from the entries after it) only
 * moves the boundaries after its start, so a context in it stays in it: buckets are disjoint and
 * sticky, never AppConfig's pitfall where "A 20%, B 20%" hashes both into the same fifth.
 */
export const DEFAULT_BUCKETS = 1000;

export const bucketOf = (value: string, groupId: string, seed: number, buckets: number): number =>
  murmurhash3js.x86.hash32(`${groupId}:${value}`, seed) % buckets;

/** The attributes tried, in order, for the value to hash. */
export const stickinessOf = (bucketing: Bucketing): readonly string[] => {
  const { stickiness = TARGETING_KEY } = bucketing;
  return typeof stickiness === 'string' ? [stickiness] : stickiness;
};

/** The first non-empty stickiness attribute of the context, if any. */
export const stickyValue = (bucketing: Bucketing, context: EvaluationContext): string | undefined => {
  for (const name of stickinessOf(bucketing)) {
    const value = resolveAttribute(context, name);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

/** The context's bucket, given the value its stickiness resolved to. */
export const bucketFor = (bucketing: Bucketing, flagKey: string, value: string): number =>
  bucketOf(value, bucketing.groupId ?? flagKey, bucketing.seed ?? 0, bucketing.buckets ?? DEFAULT_BUCKETS);

/** The split entry whose cumulative range holds the bucket; undefined past the last (weights too small). */
export const pickSplit = (split: readonly SplitEntry[], bucket: number): SplitEntry | undefined => {
  let end = 0;
  return split.find((entry) => {
    end += entry.weight;
    return bucket < end;
  });
};
