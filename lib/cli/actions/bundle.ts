import type { Command } from 'commander';
import type { Bundle, BundleSummary } from '#domain/bundles/bundle.ts';
import type { BundlePushResponse, BundleResponse } from '#api/bundles.ts';
import { segment } from '#api/client.ts';
import { parseDocument } from '#domain/core/document.ts';
import { parseRef } from '../bundle-ref.ts';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import { gitSourceOf } from '../git-source.ts';
import { readInputFile, type InputFile } from '../read-input.ts';

const describeChange = (change: Bundle['changes'][number]): string =>
  'set' in change
    ? `set     ${change.set} = ${JSON.stringify(change.value)}`
    : 'delete' in change
      ? `delete  ${change.delete}`
      : `flag    ${JSON.stringify(change)}`;

/** `convoy bundle validate <file>`. */
export const validate = async (
  file: string,
  options: { env?: string; catalog?: string },
  command: Command,
): Promise<void> => {
  const ctx = contextOf(command);
  const input = await readInputFile(file);
  // The domain's validators load on demand, keeping the other commands quick to start.
  const { validateWithApi, validateWithCatalogFile } = await import('../bundle-validation.ts');
  const outcome =
    options.catalog === undefined
      ? await validateWithApi(ctx.client(), input, options.env)
      : validateWithCatalogFile(input, await readInputFile(options.catalog), options.env);
  if (!outcome.ok) ctx.setExitCode(exitCodes.rejected);
  if (options.catalog !== undefined && options.env !== undefined) {
    ctx.out.note(
      'note: offline validation checks the catalog rules only; environment rules need the API (leave out --catalog).',
    );
  }
  if (ctx.json) {
    ctx.out.data({ ok: outcome.ok, problems: outcome.problems });
    return;
  }
  if (outcome.problems.length > 0) ctx.out.problems(outcome.problems);
  const where = outcome.environment === undefined ? '' : ` for ${outcome.environment}`;
  ctx.out.line(
    outcome.ok
      ? `${ctx.out.style('green', '✓')} ${file} is valid${where}`
      : `${ctx.out.style('red', '✗')} ${file}: ${outcome.problems.length} problem(s)${where}`,
  );
};

/**
 * The bundle document with `source` filled from git, when the file is in a repository and does not
 * name its source itself; undefined otherwise (the file goes as written, and the API judges it).
 */
const sourced = async (input: InputFile): Promise<{ document: object; dirty: boolean } | undefined> => {
  const parsed = parseDocument(input.text, input.format);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value))
    return undefined;
  if ('source' in parsed.value) return undefined;
  const git = await gitSourceOf(input.path);
  return git && { document: { ...parsed.value, source: git.source }, dirty: git.dirty };
};

/** `convoy bundle push <file>`. */
export const push = async (file: string, options: { source?: boolean }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const input = await readInputFile(file);
  const withSource = options.source === false || file === '-' ? undefined : await sourced(input);
  if (withSource?.dirty)
    ctx.out.note(`note: ${file} has uncommitted changes; its source names the last commit.`);
  const result = await ctx
    .client()
    .call<BundlePushResponse>(
      'POST',
      '/bundles',
      withSource ? { json: withSource.document } : { text: input.text, contentType: input.contentType },
    );
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  const what = result.created ? 'pushed' : 'already pushed with the same content';
  ctx.out.line(
    `${ctx.out.style('green', '✓')} ${result.name}@${result.version} ${what} (${result.hash.slice(0, 12)})`,
  );
};

/** `convoy bundle list`. */
export const list = async (options: { release?: string; name?: string }, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const result = await ctx.client().call<{ bundles: BundleSummary[] }>('GET', '/bundles', {
    query: { release: options.release, name: options.name },
  });
  if (ctx.json) {
    ctx.out.data(result);
    return;
  }
  if (result.bundles.length === 0) {
    ctx.out.line('No bundles pushed yet. Push one with `convoy bundle push <file>`.');
    return;
  }
  ctx.out.table(
    result.bundles.map((b) => [
      `${b.name}@${b.version}`,
      b.release,
      b.team,
      String(b.changes),
      b.pushedBy,
      b.pushedAt,
      b.hash.slice(0, 12),
    ]),
    { header: ['BUNDLE', 'RELEASE', 'TEAM', 'CHANGES', 'PUSHED BY', 'PUSHED AT', 'HASH'] },
  );
};

/** `convoy bundle show <ref>`. */
export const show = async (ref: string, _options: unknown, command: Command): Promise<void> => {
  const ctx = contextOf(command);
  const { name, version } = parseRef(ref);
  const view = await ctx
    .client()
    .call<BundleResponse>('GET', `/bundles/${segment(name)}/versions/${segment(version)}`);
  if (ctx.json) {
    ctx.out.data(view);
    return;
  }
  const { bundle: doc } = view;
  ctx.out.table([
    ['bundle', `${view.name}@${view.version}`],
    ['release', view.release],
    ['team', view.team],
    ['hash', view.hash],
    ['pushed', `${view.pushedAt} by ${view.pushedBy}`],
    ...(doc.description ? [['description', doc.description]] : []),
    ...(doc.requires.length > 0
      ? [['requires', doc.requires.map((r) => `${r.service} ${r.range}`).join(', ')]]
      : []),
    ...(doc.dependsOn.length > 0
      ? [['dependsOn', doc.dependsOn.map((d) => `${d.name}@${d.version}`).join(', ')]]
      : []),
  ]);
  ctx.out.line();
  for (const change of doc.changes) ctx.out.line(`  ${describeChange(change)}`);
};
