import { readFileSync, writeFileSync } from 'node:fs';
import graphlibDot from '@dagrejs/graphlib-dot';
import { describe, expect, it } from 'vitest';
import { dotQuote, toDot } from '#api/formats/dependency-dot.ts';
import { oneLine } from '#api/formats/dependency-labels.ts';
import { mermaidQuote, toMermaid } from '#api/formats/dependency-mermaid.ts';
import { focus } from '#domain/dependencies/focus.ts';
import { buildDependencyGraph } from '#domain/dependencies/graph.ts';
import { toSubgraph } from '#domain/dependencies/graph-model.ts';
import type { Subgraph } from '#domain/dependencies/graph-model.ts';
import { demoInput } from '../../fixtures/dependencies/demo.ts';
import { checkDot, checkMermaid } from '../../support/picture-grammar.ts';

const graph = buildDependencyGraph(demoInput);
const hostile: Subgraph = {
  nodes: [
    { id: 'flag:a"b\\c', kind: 'flag', name: 'a"b\\c', team: 'te"am' },
    { id: 'flag:x]|-->y;#z\n}', kind: 'flag', name: 'x]|-->y;#z\n}' },
    { id: 'team:te"am', kind: 'team', name: 'te"am' },
  ],
  edges: [
    { from: 'flag:a"b\\c', to: 'flag:x]|-->y;#z\n}', kind: 'prerequisite' },
    { from: 'flag:a"b\\c', to: 'flag:not-shown', kind: 'prerequisite' },
    { from: 'team:te"am', to: 'flag:a"b\\c', kind: 'owns' },
  ],
};

/**
 * A name as graphlib-dot reads it back: on one line, and with backslashes still doubled, since the
 * DOT language itself only unescapes \" (Graphviz reads \\ in labels as one backslash).
 */
const asRead = (text: string): string => oneLine(text).replaceAll('\\', '\\\\');

const GOLDEN = new URL('../../fixtures/dependencies/', import.meta.url);
const golden = (file: string, text: string): string => {
  const url = new URL(file, GOLDEN);
  // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(url, text);
  return readFileSync(url, 'utf8');
};

describe('dependency pictures', () => {
  it.each<[string, Subgraph]>([
    ['demo', toSubgraph(graph)],
    ['demo-focus-identity-session', focus(graph, 'key:identity.session.ttlSeconds', 2)],
    ['hostile', hostile],
  ])('%s matches its golden files and their grammar', (name, subgraph) => {
    const dot = toDot(subgraph);
    const mermaid = toMermaid(subgraph);
    expect(dot).toBe(golden(`${name}.dot`, dot));
    expect(mermaid).toBe(golden(`${name}.mmd`, mermaid));
    expect(checkDot(dot)).toEqual([]);
    expect(checkMermaid(mermaid)).toEqual([]);
    // Graphviz's grammar as @dagrejs/graphlib-dot reads it: every node and edge comes back as drawn.
    const parsed = graphlibDot.read(dot);
    const ids = (list: string[]): string[] => list.filter((id) => !id.startsWith('cluster_')).sort();
    expect(ids(parsed.nodes())).toEqual(subgraph.nodes.map((n) => asRead(n.id)).sort());
    for (const node of subgraph.nodes) expect(parsed.node(asRead(node.id))?.label).toBe(asRead(node.name));
    const shown = new Set(subgraph.nodes.map((n) => n.id));
    const drawn = subgraph.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
    expect(ids(parsed.edges().map((e) => `${e.v}>${e.w}`))).toEqual(
      ids(drawn.map((e) => `${asRead(e.from)}>${asRead(e.to)}`)),
    );
    // the same graph in another order draws the same picture
    const shuffled = { nodes: [...subgraph.nodes].reverse(), edges: [...subgraph.edges].reverse() };
    expect(toDot(shuffled)).toBe(dot);
    expect(toMermaid(shuffled)).toBe(mermaid);
  });

  it.each<[string, string, string]>([
    ['plain', '"plain"', '"plain"'],
    ['a"b', '"a\\"b"', '"a#34;b"'],
    ['a\\b', '"a\\\\b"', '"a#92;b"'],
    ['line\nbreak', '"line break"', '"line break"'],
    ['x]|-->y;#z', '"x]|-->y;#z"', '"x#93;#124;--#62;y#59;#35;z"'],
    ['>=2.3.0 [dev, prod]', '">=2.3.0 [dev, prod]"', '"#62;#61;2.3.0 #91;dev, prod#93;"'],
  ])('quotes %j', (text, dot, mermaid) => {
    expect(dotQuote(text)).toBe(dot);
    expect(mermaidQuote(text)).toBe(mermaid);
  });

  it('the grammar checks catch broken pictures', () => {
    expect(checkDot('digraph x {\n  "a" -> "b\n}\n')).not.toEqual([]);
    expect(checkDot('graph {\n}\n')).not.toEqual([]);
    expect(checkMermaid('flowchart LR\n  n0["a"b"]\n')).not.toEqual([]);
    expect(checkMermaid('flowchart LR\n  subgraph c0["x"]\n')).not.toEqual([]);
  });
});
