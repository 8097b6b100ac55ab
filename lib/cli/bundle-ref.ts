import { usageError } from './exit-codes.ts';

/** `name@version` → its parts, or a usage error naming the expected form. */
export const parseRef = (ref: string): { name: string; version: string } => {
  const at = ref.lastIndexOf('@');
  if (at <= 0 || at === ref.length - 1)
    throw usageError(`${ref} is not a bundle reference.`, 'Write name@version, e.g. checkout-timeouts@3.');
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
};
