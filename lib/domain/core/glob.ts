const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

const escape = (text: string): string => text.replace(/[\\^$.|?+()[\]{}]/g, '\\$&');

const compile = (pattern: string, separator: string): RegExp => {
  const id = `${separator}\u0000${pattern}`;
  const cached = cache.get(id);
  if (cached) return cached;
  const single = separator === '' ? '.*' : `[^${escape(separator)}]*`;
  const source = pattern
    .split('**')
    .map((part) => part.split('*').map(escape).join(single))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(id, regex);
  return regex;
};

/**
 * Glob match. `*` matches any run of characters except the separator (`.` by default, so
 * `payments.checkout.*` matches `payments.checkout.timeoutMs` but not `payments.checkout.a.b`),
 * `**` matches anything, separators included. Every other character is literal. Pass `''` as the
 * separator when `*` should match anything (principal globs: names and ARNs contain dots).
 */
export const globMatch = (pattern: string, text: string, separator = '.'): boolean =>
  compile(pattern, separator).test(text);

export const isGlob = (pattern: string): boolean => pattern.includes('*');
