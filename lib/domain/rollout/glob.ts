/** Environment globs as freeze scopes use them: `*` is any run of characters, `?` one character. */
export const globMatches = (glob: string, name: string): boolean => {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
};
