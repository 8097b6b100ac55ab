import type { ApiClient } from '#api/client.ts';
import type { DependenciesResponse } from '#api/dependencies.ts';
import { NODE_KINDS } from '#domain/dependencies/graph-model.ts';
import type { Impact } from '#domain/dependencies/impact-model.ts';
import { depsHtml, type DepsPage } from './deps-html.ts';
import { CliError, exitCodes, usageError } from './exit-codes.ts';
import { impactBodyOf } from './impact-body.ts';

export interface GraphPageOptions {
  focus?: string;
  depth?: string;
  kinds?: string;
  impact?: string;
}

/**
 * `convoy deps graph --format html`: the whole graph (the page focuses and filters by itself), the
 * focus, depth and kinds to start from, and with `--impact` the answer of `POST /impact` to highlight.
 */
export const graphPage = async (client: ApiClient, options: GraphPageOptions): Promise<string> => {
  const depth = options.depth === undefined ? 2 : Number(options.depth);
  if (!Number.isInteger(depth) || depth < 0 || depth > 10)
    throw usageError(`--depth must be a whole number from 0 to 10, not ${options.depth ?? ''}.`);
  const whole = await client.call<DependenciesResponse>('GET', '/dependencies', {
    query: { format: 'json' },
  });
  const page: DepsPage = {
    title: 'Convoy dependencies',
    graph: { nodes: whole.nodes, edges: whole.edges },
    depth,
  };
  if (options.focus !== undefined) {
    if (!whole.nodes.some((node) => node.id === options.focus))
      throw new CliError(`No node ${options.focus} in the dependency graph.`, exitCodes.rejected, {
        hint: 'Node ids read <kind>:<name>, e.g. key:payments.checkout.timeoutMs or team:payments.',
      });
    page.focus = options.focus;
    page.title = `Convoy dependencies around ${options.focus}`;
  }
  if (options.kinds !== undefined) {
    page.kinds = options.kinds.split(',').filter(Boolean);
    const unknown = page.kinds.filter((kind) => !(NODE_KINDS as readonly string[]).includes(kind));
    if (unknown.length > 0)
      throw usageError(`--kinds: unknown kind ${unknown.join(', ')}.`, `Kinds: ${NODE_KINDS.join(', ')}.`);
  }
  if (options.impact !== undefined) {
    const body = await impactBodyOf(options.impact);
    const impact = await client.call<Impact>('POST', '/impact', { json: body });
    page.impact = { ...impact, of: options.impact };
    page.title = `Convoy dependencies: impact of ${options.impact}`;
  }
  return depsHtml(page);
};
