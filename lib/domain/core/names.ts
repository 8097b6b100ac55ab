import { z } from 'zod';

/**
 * Names travel into DynamoDB keys, URLs and file paths, so they are deliberately narrow:
 * lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters.
 * That rules out `../`, NUL, `#` (our key separator) and 10k-character names in one place.
 */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const nameSchema = z
  .string()
  .regex(NAME_PATTERN, 'must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit');

/** Bundle versions: a declared label such as "3", "1.2.0" or "2026-12-01". */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const versionSchema = z.preprocess(
  (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : v),
  z.string().regex(VERSION_PATTERN, 'must be 1-32 letters, digits, dots, dashes or underscores'),
);

/** Release labels such as 2026.12-R1. */
export const releaseSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

/**
 * Parameter keys are dot paths: segments of letters, digits, `_` or `-`, the first segment being the
 * namespace. At most 16 segments and 256 characters.
 */
/** An `Idempotency-Key`: what the API accepts is what the store accepts. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const idempotencyKeySchema = z
  .string()
  .regex(IDEMPOTENCY_KEY_PATTERN, 'must be 1-128 letters, digits, . _ : or -');

export const KEY_PATTERN = /^[a-z][a-z0-9-]{0,62}(\.[A-Za-z_][A-Za-z0-9_-]{0,63}){1,15}$/;
export const parameterKeySchema = z
  .string()
  .max(256, 'must be at most 256 characters')
  .regex(KEY_PATTERN, 'must be a dot path like namespace.group.name (letters, digits, _ or -)');

export const namespaceOf = (key: string): string => {
  const dot = key.indexOf('.');
  return dot === -1 ? key : key.slice(0, dot);
};

/** A bundle reference `name@version`. */
export interface BundleRef {
  name: string;
  version: string;
}
export const formatBundleRef = (ref: BundleRef): string => `${ref.name}@${ref.version}`;
const bundleRefTextSchema = z
  .string()
  .max(100, 'must be at most 100 characters')
  .transform((text, ctx): BundleRef => {
    const at = text.lastIndexOf('@');
    const name = text.slice(0, at);
    const version = text.slice(at + 1);
    if (at <= 0 || !NAME_PATTERN.test(name) || !VERSION_PATTERN.test(version)) {
      ctx.addIssue({ code: 'custom', message: 'must be name@version, e.g. checkout-timeouts@3' });
      return z.NEVER;
    }
    return { name, version };
  });

/**
 * `name@version` as authored, or the `{ name, version }` it parses to, so a parsed bundle parses
 * again to itself (stored bundles can be re-validated).
 */
export const bundleRefSchema = z.union([
  bundleRefTextSchema,
  z.strictObject({ name: nameSchema, version: versionSchema }),
]);
