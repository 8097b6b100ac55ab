import { contentHash } from '../core/json.ts';
import type { JsonValue } from '../core/json.ts';
import type { SealedBundle } from './bundle.ts';
import { applyFlagPatch } from './flag-patch.ts';

export interface AppliedBundle {
  name: string;
  version: string;
  hash: string;
}

/**
 * The whole explicit configuration of an environment: every key a bundle set (parameter values and
 * flag definitions, under their catalog keys), and the bundles that are in effect, in the order they
 * were applied. Values are stored as authored (references unresolved); catalog defaults fill the
 * rest at read time.
 */
export interface Snapshot {
  values: Record<string, JsonValue>;
  bundles: AppliedBundle[];
}

export const emptySnapshot = (): Snapshot => ({ values: {}, bundles: [] });

export const snapshotHash = (snapshot: Snapshot): string => contentHash(snapshot);

export const isApplied = (snapshot: Snapshot, ref: { name: string; version: string }): boolean =>
  snapshot.bundles.some((b) => b.name === ref.name && b.version === ref.version);

/** Applying a bundle gives the next snapshot; the input is never mutated. */
export const applyBundle = (snapshot: Snapshot, sealed: SealedBundle): Snapshot => {
  // Parameter keys always contain a dot, so assigning them can never touch a prototype.
  const values: Record<string, JsonValue> = { ...snapshot.values };
  for (const change of sealed.bundle.changes) {
    if ('set' in change) values[change.set] = change.value;
    else if ('delete' in change) Reflect.deleteProperty(values, change.delete);
    else {
      // Flag definitions live among the values, under their catalog key; a patch rewrites one.
      const patched = applyFlagPatch(values[change.flag], change);
      if (patched !== undefined) values[change.flag] = patched;
    }
  }
  const { name, version } = sealed.bundle;
  const bundles = [...snapshot.bundles.filter((b) => b.name !== name), { name, version, hash: sealed.hash }];
  return { values, bundles };
};
