/**
 * One actionable finding about an input: what rule (code), where (key for parameter keys, path for
 * a JSON path into the document), and a message a person can act on.
 */
export interface Problem {
  code: string;
  key?: string;
  path?: string;
  message: string;
  severity?: 'error' | 'warning';
}

export const problem = (
  code: string,
  message: string,
  where: { key?: string; path?: string } = {},
): Problem => ({
  code,
  ...(where.key === undefined ? {} : { key: where.key }),
  ...(where.path === undefined ? {} : { path: where.path }),
  message,
});

export const hasErrors = (problems: readonly Problem[]): boolean =>
  problems.some((p) => (p.severity ?? 'error') === 'error');
