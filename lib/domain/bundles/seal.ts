import { contentHash } from '../core/json.ts';
import type { Bundle, SealedBundle } from './bundle.ts';

/**
 * Seal a parsed bundle: its hash is the sha256 of its canonical JSON, so the authored document's
 * key order, formatting and syntax (YAML or JSON) do not change it. `source` is where it came from,
 * not what it is: the same bundle pushed again from a later commit is the same bundle.
 */
export const sealBundle = (bundle: Bundle): SealedBundle => {
  const { source: _source, ...content } = bundle;
  return { bundle, hash: contentHash(content) };
};
