import type { GraphEdge } from '#domain/dependencies/graph-model.ts';
import { captionOf, FONT_SIZE, type Placement } from './layout.ts';

const SVG = 'http://www.w3.org/2000/svg';

const svgElement = <K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
};

const edgeTitle = (edge: GraphEdge): string => {
  const detail = edge.environments?.join(', ') ?? edge.range ?? edge.version;
  return `${edge.from} ${edge.kind}${detail === undefined ? '' : ` (${detail})`} ${edge.to}`;
};

const pathOf = (points: readonly { x: number; y: number }[]): string =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');

/** Classes a node is drawn with: its kind, and the state it is in (focus, search match, impact). */
export interface NodeMarks {
  focus?: string | undefined;
  matches: ReadonlySet<string>;
  impact?: { ids: ReadonlySet<string>; sources: ReadonlySet<string> } | undefined;
}

/**
 * An SVG picture of a placement: a `g.node` per node (box, name, kind · team; `data-id` holds its id)
 * and a `path.edge` per edge with an arrow head. Scaled by `zoom`.
 */
export const renderSvg = (placement: Placement, marks: NodeMarks, zoom: number): SVGSVGElement => {
  const { width, height } = placement;
  const svg = svgElement('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: Math.ceil(width * zoom),
    height: Math.ceil(height * zoom),
    role: 'img',
    'aria-label': `Dependency graph: ${placement.nodes.length} nodes, ${placement.edges.length} edges`,
  });
  const defs = svgElement('defs', {});
  const marker = svgElement('marker', {
    id: 'convoy-arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(svgElement('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  defs.append(marker);
  svg.append(defs);
  const edges = svgElement('g', { class: 'edges' });
  for (const { edge, points } of placement.edges) {
    const inImpact = marks.impact?.ids.has(edge.to) === true && marks.impact.ids.has(edge.from);
    const path = svgElement('path', {
      d: pathOf(points),
      class: `edge edge-${edge.kind}${inImpact ? ' impact' : ''}`,
      'marker-end': 'url(#convoy-arrow)',
    });
    const title = svgElement('title', {});
    title.textContent = edgeTitle(edge);
    path.append(title);
    edges.append(path);
  }
  svg.append(edges);
  const nodes = svgElement('g', { class: 'nodes' });
  for (const placed of placement.nodes) {
    const { node } = placed;
    const classes = ['node', `kind-${node.kind}`];
    if (node.id === marks.focus) classes.push('focus');
    if (marks.matches.has(node.id)) classes.push('match');
    if (marks.impact?.sources.has(node.id) === true) classes.push('impact-source');
    else if (marks.impact?.ids.has(node.id) === true) classes.push('impact');
    const group = svgElement('g', {
      class: classes.join(' '),
      'data-id': node.id,
      transform: `translate(${placed.x.toFixed(1)},${placed.y.toFixed(1)})`,
      tabindex: 0,
    });
    group.append(svgElement('rect', { width: placed.width, height: placed.height, rx: 5 }));
    const name = svgElement('text', { x: 10, y: 14, class: 'name', 'font-size': FONT_SIZE });
    name.textContent = placed.label;
    const caption = svgElement('text', { x: 10, y: 28, class: 'caption', 'font-size': FONT_SIZE - 2 });
    caption.textContent = captionOf(node);
    const title = svgElement('title', {});
    title.textContent = node.id;
    group.append(name, caption, title);
    nodes.append(group);
  }
  svg.append(nodes);
  return svg;
};
