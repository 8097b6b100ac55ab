interface NodeState {
  index: number;
  low: number;
  onStack: boolean;
}

/** A strongly connected component: never empty. */
export type Component = [string, ...string[]];

interface Frame {
  node: string;
  state: NodeState;
  edges: Iterator<string>;
}

/**
 * Strongly connected components (Tarjan), iterative so a 10k-long chain cannot overflow the stack.
 * Components come out dependencies first (a component after every component it reaches), each
 * starting with its first-discovered node. Targets that are not keys of the graph are leaves and
 * are not reported.
 */
export const stronglyConnected = (graph: ReadonlyMap<string, readonly string[]>): Component[] => {
  const states = new Map<string, NodeState>();
  const stack: { node: string; state: NodeState }[] = [];
  const components: Component[] = [];
  const work: Frame[] = [];
  const enter = (node: string, edges: readonly string[]): void => {
    const state = { index: states.size, low: states.size, onStack: true };
    states.set(node, state);
    stack.push({ node, state });
    work.push({ node, state, edges: edges.values() });
  };
  for (const [root, rootEdges] of graph) {
    if (states.has(root)) continue;
    enter(root, rootEdges);
    for (let frame = work.at(-1); frame !== undefined; frame = work.at(-1)) {
      const edge = frame.edges.next();
      if (!edge.done) {
        const edges = graph.get(edge.value);
        const seen = states.get(edge.value);
        if (edges === undefined) continue;
        if (seen === undefined) enter(edge.value, edges);
        else if (seen.onStack) frame.state.low = Math.min(frame.state.low, seen.index);
        continue;
      }
      work.pop();
      if (frame.state.low === frame.state.index) {
        const members: string[] = [];
        for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
          member.state.onStack = false;
          if (member.node === frame.node) break;
          members.push(member.node);
        }
        components.push([frame.node, ...members.reverse()]);
      }
      const parent = work.at(-1);
      if (parent) parent.state.low = Math.min(parent.state.low, frame.state.low);
    }
  }
  return components;
};
