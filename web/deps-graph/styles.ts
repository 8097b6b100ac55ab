/** The view's own styles, added once to the document: the page and the dashboard both get them. */
export const GRAPH_CSS = `
.convoy-graph { font: 13px system-ui, sans-serif; color: #1d2330; display: flex; flex-direction: column; height: 100%; }
.convoy-graph .toolbar { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; padding: 8px; border-bottom: 1px solid #d8dce4; background: #f6f7f9; }
.convoy-graph .toolbar fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.convoy-graph .toolbar legend { float: left; font-weight: 600; margin-right: 4px; }
.convoy-graph .toolbar input[type=text], .convoy-graph .toolbar input[type=search] { width: 16em; }
.convoy-graph .toolbar input[type=number] { width: 3.5em; }
.convoy-graph .status { padding: 4px 8px; min-height: 1.4em; }
.convoy-graph .status .notice { color: #8a4b00; }
.convoy-graph .status .impact-summary { color: #9b1c1c; font-weight: 600; }
.convoy-graph .canvas { flex: 1; overflow: auto; background: #fff; }
.convoy-graph svg text { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; pointer-events: none; }
.convoy-graph .node { cursor: pointer; }
.convoy-graph .node rect { fill: #fff; stroke: var(--kind); stroke-width: 1.5; }
.convoy-graph .node .caption { fill: #5b6474; }
.convoy-graph .kind-team { --kind: #6d4c9f; }
.convoy-graph .kind-namespace { --kind: #7a7f89; }
.convoy-graph .kind-service { --kind: #1f6fb4; }
.convoy-graph .kind-key { --kind: #2c8a3a; }
.convoy-graph .kind-flag { --kind: #d9770b; }
.convoy-graph .kind-bundle { --kind: #b3261e; }
.convoy-graph .kind-environment { --kind: #138a96; }
.convoy-graph .node.focus rect { stroke-width: 4; }
.convoy-graph .node.impact rect { fill: #ffe3a3; stroke: #c2410c; stroke-width: 2.5; }
.convoy-graph .node.impact-source rect { fill: #fca5a5; stroke: #991b1b; stroke-width: 3; }
.convoy-graph .node.match rect { stroke: #2563eb; stroke-width: 4; stroke-dasharray: 6 3; }
.convoy-graph .edge { fill: none; stroke: #9aa3b2; stroke-width: 1.2; }
.convoy-graph .edge.edge-references { stroke: #2c8a3a; stroke-dasharray: 4 3; }
.convoy-graph .edge.impact { stroke: #c2410c; stroke-width: 2.2; }
.convoy-graph .arrow { fill: #7a8394; }
`;

export const addStyles = (doc: Document): void => {
  if (doc.getElementById('convoy-graph-style') !== null) return;
  const style = doc.createElement('style');
  style.id = 'convoy-graph-style';
  style.textContent = GRAPH_CSS;
  doc.head.append(style);
};
