/**
 * Does an `If-None-Match` header match `etag`? A list of tags, `*`, and weak tags (`W/"…"`) compare
 * weakly, as RFC 9110 §13.1.2 says for GET and HEAD.
 */
export const etagMatches = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (ifNoneMatch === undefined) return false;
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => strip(tag) === '*' || strip(tag) === strip(etag));
};

/** Headers a 304 keeps: all but those describing a body it does not have. */
export const notModifiedHeaders = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^content-(type|length|encoding)$/i.test(name)),
  );
