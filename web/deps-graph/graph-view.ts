import { GraphBuilder } from '#domain/dependencies/graph-builder.ts';
import type { DependencyGraph, NodeKind, Subgraph } from '#domain/dependencies/graph-model.ts';
import { NODE_KINDS } from '#domain/dependencies/graph-model.ts';
import { buildControls, checked, type Controls } from './controls.ts';
import { impactOfNode, type ImpactSet } from './impact-set.ts';
import { place } from './layout.ts';
import { addStyles } from './styles.ts';
import { renderSvg } from './svg-render.ts';
import { visibleOf, type Visible } from './visible.ts';

export interface GraphViewOptions {
  focus?: string | undefined;
  depth?: number | undefined;
  /** Node kinds shown at first (all unless told). */
  kinds?: readonly string[] | undefined;
  /** An impact to highlight at first (e.g. the CLI's `POST /impact` answer). */
  impact?: ImpactSet | undefined;
  /** At most this many nodes are laid out at once (600 unless told). */
  maxNodes?: number | undefined;
  /** Told whenever the highlighted impact changes (set, computed for the focus, cleared). */
  onImpact?: ((impact: ImpactSet | undefined) => void) | undefined;
}

export interface GraphView {
  /** What is drawn now. */
  visible(): Visible;
  setFocus(id: string | undefined): void;
  /** Highlight an impact (e.g. `POST /impact`'s, through impactSetOf), or none. */
  setImpact(impact: ImpactSet | undefined): void;
  /** Highlight the impact of the focused node, computed from the graph; undefined when it has none. */
  impactOfFocus(): ImpactSet | undefined;
  destroy(): void;
}

const toGraph = (subgraph: Subgraph): DependencyGraph => {
  const builder = new GraphBuilder();
  for (const node of subgraph.nodes) builder.node(node.kind, node.name, node.team);
  for (const { from, kind, to, ...details } of subgraph.edges) builder.edge(from, kind, to, details);
  return builder.build();
};

const teamsOf = (graph: DependencyGraph): string[] => {
  const teams = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (node.kind === 'team') teams.add(node.name);
    else if (node.team !== undefined) teams.add(node.team);
  }
  return [...teams].sort();
};

const text = (tag: string, className: string, content: string): HTMLElement => {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = content;
  return element;
};

/**
 * Mounts the interactive dependency graph in `element`: a toolbar (focus, depth, kinds, teams,
 * search, impact), a status line and an SVG laid out by dagre. Clicking a node focuses on it.
 */
export const mountGraphView = (
  element: HTMLElement,
  data: Subgraph,
  options: GraphViewOptions = {},
): GraphView => {
  addStyles(element.ownerDocument);
  const graph = toGraph(data);
  const controls: Controls = buildControls([...graph.nodes.keys()].sort(), teamsOf(graph));
  const status = text('div', 'status', '');
  const canvas = text('div', 'canvas', '');
  const root = document.createElement('div');
  root.className = 'convoy-graph';
  root.append(controls.toolbar, status, canvas);
  element.replaceChildren(root);

  let focus = options.focus;
  let impact = options.impact;
  let zoom = 1;
  let shown: Visible = { subgraph: { nodes: [], edges: [] }, depth: 0 };
  controls.depth.value = String(options.depth ?? 2);
  if (options.kinds !== undefined)
    for (const box of Array.from(controls.kinds.querySelectorAll<HTMLInputElement>('input')))
      box.checked = options.kinds.includes(box.value);

  const matchesOf = (query: string): string[] => {
    const needle = query.trim().toLowerCase();
    if (needle === '') return [];
    return shown.subgraph.nodes.filter((n) => n.id.toLowerCase().includes(needle)).map((n) => n.id);
  };

  const centreOn = (id: string): void => {
    const target = canvas.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`);
    if (target === null) return;
    const box = target.getBoundingClientRect();
    const frame = canvas.getBoundingClientRect();
    canvas.scrollBy({
      left: box.left + box.width / 2 - (frame.left + frame.width / 2),
      top: box.top + box.height / 2 - (frame.top + frame.height / 2),
    });
  };

  const render = (): void => {
    const depth = Number.parseInt(controls.depth.value, 10);
    const kinds = checked(controls.kinds) as Set<NodeKind>;
    const teams = checked(controls.teams);
    const hiddenTeams = new Set(teamsOf(graph).filter((t) => !teams.has(t)));
    shown = visibleOf(graph, {
      focus,
      depth: Number.isFinite(depth) && depth >= 0 ? Math.min(depth, 10) : 2,
      kinds: new Set(NODE_KINDS.filter((k) => kinds.has(k))),
      hiddenTeams,
      maxNodes: options.maxNodes ?? 600,
    });
    focus = shown.focus;
    controls.focus.value = focus ?? '';
    const matches = matchesOf(controls.search.value);
    const placement = place(shown.subgraph);
    canvas.replaceChildren(renderSvg(placement, { focus, matches: new Set(matches), impact }, zoom));
    const parts = [
      text('span', 'counts', `${shown.subgraph.nodes.length} of ${graph.nodes.size} nodes shown`),
    ];
    if (focus !== undefined) parts.push(text('span', 'where', ` · focus ${focus}, depth ${shown.depth}`));
    if (controls.search.value.trim() !== '')
      parts.push(text('span', 'matches', ` · ${matches.length} match(es) for “${controls.search.value}”`));
    if (impact !== undefined)
      parts.push(text('div', 'impact-summary', `Impact of ${impact.label}: ${impact.summary}`));
    if (shown.notice !== undefined) parts.push(text('div', 'notice', shown.notice));
    status.replaceChildren(...parts);
    if (matches[0] !== undefined) centreOn(matches[0]);
    else if (focus !== undefined) centreOn(focus);
  };

  const setFocus = (id: string | undefined): void => {
    focus = id;
    render();
  };

  const setImpact = (next: ImpactSet | undefined): void => {
    impact = next;
    render();
    options.onImpact?.(next);
  };

  const showImpactOfFocus = (): ImpactSet | undefined => {
    const computed = focus === undefined ? undefined : impactOfNode(graph, focus);
    if (computed === undefined)
      status.append(text('div', 'notice', 'Focus on a bundle, key, flag or service to see its impact.'));
    else setImpact(computed);
    return computed;
  };

  const onSearch = (): void => {
    const needle = controls.search.value.trim().toLowerCase();
    // Not in the picture: focus on the first node of the graph that matches.
    if (needle !== '' && matchesOf(needle).length === 0) {
      const found = [...graph.nodes.keys()].sort().find((id) => id.toLowerCase().includes(needle));
      if (found !== undefined) focus = found;
    }
    render();
  };

  const listeners: [EventTarget, string, (event: Event) => void][] = [
    [
      controls.focus,
      'change',
      () => {
        const id = controls.focus.value.trim();
        if (id === '' || graph.nodes.has(id)) setFocus(id === '' ? undefined : id);
        else status.replaceChildren(text('div', 'notice', `No node ${id} in the graph.`));
      },
    ],
    [controls.depth, 'change', render],
    [controls.kinds, 'change', render],
    [controls.teams, 'change', render],
    [controls.search, 'input', onSearch],
    [
      controls.wholeGraph,
      'click',
      () => {
        setFocus(undefined);
      },
    ],
    [
      controls.impactOfFocus,
      'click',
      () => {
        showImpactOfFocus();
      },
    ],
    [
      controls.clearImpact,
      'click',
      () => {
        setImpact(undefined);
      },
    ],
    [
      controls.zoomIn,
      'click',
      () => {
        zoom = Math.min(zoom * 1.25, 4);
        render();
      },
    ],
    [
      controls.zoomOut,
      'click',
      () => {
        zoom = Math.max(zoom / 1.25, 0.2);
        render();
      },
    ],
    [
      canvas,
      'click',
      (event) => {
        const node = (event.target as Element).closest('g.node');
        const id = node?.getAttribute('data-id');
        if (id !== null && id !== undefined) setFocus(id);
      },
    ],
  ];
  for (const [target, type, listener] of listeners) target.addEventListener(type, listener);
  render();
  return {
    visible: () => shown,
    setFocus,
    setImpact,
    impactOfFocus: showImpactOfFocus,
    destroy: () => {
      for (const [target, type, listener] of listeners) target.removeEventListener(type, listener);
      element.replaceChildren();
    },
  };
};
