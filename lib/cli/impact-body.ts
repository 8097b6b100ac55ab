import { statSync } from 'node:fs';
import type { ImpactBody } from '#api/dependencies.ts';
import type { Change } from '#domain/bundles/bundle.ts';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { parseDocument } from '#domain/core/document.ts';
import { CliError, exitCodes } from './exit-codes.ts';
import { readInputFile } from './read-input.ts';

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const keyOf = (change: Change): string =>
  'set' in change ? change.set : 'delete' in change ? change.delete : change.flag;

/** The change set of a bundle file: the keys it changes, with its team (left out of the sign-offs). */
const bodyOfFile = async (path: string): Promise<ImpactBody> => {
  const input = await readInputFile(path);
  const parsed = parseDocument(input.text, input.format);
  const bundle = parsed.ok ? parseBundle(parsed.value) : parsed;
  if (!bundle.ok) {
    throw new CliError(`${path} is not a valid bundle.`, exitCodes.usage, {
      problem: { problems: bundle.problems },
      hint: 'Run `convoy bundle validate` on it, or pass a pushed bundle as name@version.',
    });
  }
  const keys = [...new Set(bundle.bundle.changes.map(keyOf))];
  return { keys, team: bundle.bundle.team };
};

/** `POST /impact`'s body for a `name@version` of a pushed bundle, or a bundle file (`-` for stdin). */
export const impactBodyOf = async (ref: string): Promise<ImpactBody> =>
  ref === '-' || isFile(ref) ? bodyOfFile(ref) : { bundles: [ref] };
