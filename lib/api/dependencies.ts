import { z } from 'zod';
import { bundleRefSchema, formatBundleRef, nameSchema, parameterKeySchema } from '#domain/core/names.ts';
import { NODE_KINDS } from '#domain/dependencies/graph-model.ts';
import type { Subgraph } from '#domain/dependencies/graph-model.ts';
import { toDot } from './formats/dependency-dot.ts';
import { toMermaid } from './formats/dependency-mermaid.ts';

const MAX_ITEMS = 200;

/** `POST /impact`: a bundle or a release's bundles, or a list of keys (with the team changing them). */
export const impactBodySchema = z.union([
  z.strictObject({
    bundles: z.array(bundleRefSchema.transform(formatBundleRef)).min(1).max(MAX_ITEMS),
    environment: nameSchema.optional(),
  }),
  z.strictObject({
    keys: z.array(parameterKeySchema).min(1).max(MAX_ITEMS),
    /** The team making the change: it is left out of the sign-offs. */
    team: nameSchema.optional(),
    environment: nameSchema.optional(),
  }),
]);
export type ImpactBody = z.infer<typeof impactBodySchema>;

export const dependencyFormats = ['json', 'dot', 'mermaid'] as const;
export type DependencyFormat = (typeof dependencyFormats)[number];

const NODE_ID = new RegExp(`^(${NODE_KINDS.join('|')}):[^\\s]{1,300}$`);

const nodeIdSchema = z
  .string()
  .regex(NODE_ID, `must be a node id <kind>:<name>, kind one of ${NODE_KINDS.join(', ')}`);

/** `GET /dependencies`: the whole graph, or the part within `depth` of `focus` (a node id). */
export const dependenciesQuerySchema = z.strictObject({
  focus: nodeIdSchema.optional(),
  depth: z.coerce.number().int().min(0).max(10).default(2),
  kinds: z
    .string()
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.enum(NODE_KINDS)).min(1))
    .optional(),
  format: z.enum(dependencyFormats).default('json'),
});
export type DependenciesQuery = z.infer<typeof dependenciesQuerySchema>;

/** `GET /dependencies/path?from=&to=`: node ids. */
export const dependencyPathQuerySchema = z.strictObject({ from: nodeIdSchema, to: nodeIdSchema });

/** The wire shape of `GET /dependencies?format=json`. */
export interface DependenciesResponse extends Subgraph {
  focus?: string;
  depth: number;
  /** Nodes and edges of the whole graph (the picture may show fewer). */
  totals: { nodes: number; edges: number };
}

const CONTENT_TYPES: Record<Exclude<DependencyFormat, 'json'>, string> = {
  dot: 'text/vnd.graphviz; charset=utf-8',
  mermaid: 'text/vnd.mermaid; charset=utf-8',
};

/** A subgraph as DOT or Mermaid text, with its content type. */
export const dependencyPicture = (
  format: Exclude<DependencyFormat, 'json'>,
  graph: Subgraph,
): { contentType: string; text: string } => ({
  contentType: CONTENT_TYPES[format],
  text: format === 'dot' ? toDot(graph) : toMermaid(graph),
});
