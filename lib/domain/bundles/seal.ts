import { contentHash } from '../core/json.ts';
import type { Bundle, SealedBundle } from './bundle.ts';

/**
 * Seal a parsed bundle: its hash is the sha256 of its canonical JSON, so the authored document's
 * key order, formatting and syntax (YAML or JSON) do not change it.
 */
export const sealBundle = (bundle: Bundle): SealedBundle => ({ bundle, hash: contentHash(bundle) });
