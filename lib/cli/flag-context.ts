import { usageError } from './exit-codes.ts';

/**
 * The evaluation context of `convoy flag evaluate`: the `--context-file` JSON object (typed values), then
 * every `--context k=v` on top as a string (`age=42` is the text "42": constraints read attributes as
 * text anyway, and a file is the way to pass a typed value). `targetingKey=...` sets the targeting key.
 */
export const parseContext = (pairs: readonly string[], file?: unknown): Record<string, unknown> => {
  if (file !== undefined && (typeof file !== 'object' || file === null || Array.isArray(file))) {
    throw usageError(
      'The context file must hold a JSON object.',
      'e.g. {"targetingKey": "user-1", "country": "de"}',
    );
  }
  const context: Record<string, unknown> = { ...(file as Record<string, unknown> | undefined) };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw usageError(
        `--context ${pair}: expected key=value.`,
        'e.g. --context targetingKey=user-1 --context country=de',
      );
    }
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
};

/** Repeatable `--context k=v` (values may hold commas, so no splitting). */
export const collectPairs = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];
