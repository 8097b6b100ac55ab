import { mountGraphView } from './graph-view.ts';
import { impactSetOf } from './impact-set.ts';
import type { GraphPageData } from './page-data.ts';

/**
 * The standalone page of `convoy deps graph --format html`: reads the graph the CLI embedded
 * (`script#convoy-graph-data`, JSON) and mounts the view in `#convoy-graph`.
 */
const data = JSON.parse(document.getElementById('convoy-graph-data')?.textContent ?? '{}') as GraphPageData;
const started = performance.now();
const view = mountGraphView(document.getElementById('convoy-graph') as HTMLElement, data.graph, {
  focus: data.focus,
  depth: data.depth,
  kinds: data.kinds,
  impact: data.impact === undefined ? undefined : impactSetOf(data.impact),
});
// For tests and benchmarks: when the first picture was ready, and the view itself.
Object.assign(window, { convoyGraph: { view, firstRenderMs: performance.now() - started } });
document.body.dataset.ready = 'true';
