import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { ImpactBody } from '#api/dependencies.ts';
import type { Change } from '#domain/bundles/bundle.ts';
import { parseBundle } from '#domain/bundles/parse-bundle.ts';
import { parseDocument } from '#domain/core/document.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import { contextOf } from '../context.ts';
import { CliError, exitCodes } from '../exit-codes.ts';
import { formatImpact, impactBlockers } from '../impact-format.ts';
import { readInputFile } from '../read-input.ts';

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

/** `convoy impact <bundle@version|file> [--env e]`: exit 1 when the plan has a cycle or owes sign-offs. */
export const impact = async (ref: string, options: { env?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const body: ImpactBody = ref === '-' || isFile(ref) ? await bodyOfFile(ref) : { bundles: [ref] };
  if (options.env !== undefined) body.environment = options.env;
  const result = await ctx.client().call<Impact>('POST', '/impact', { json: body });
  if (impactBlockers(result).length > 0) ctx.setExitCode(exitCodes.rejected);
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  ctx.out.raw(formatImpact(result));
};
