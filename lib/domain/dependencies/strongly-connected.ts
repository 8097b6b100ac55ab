/**
 * Strongly connected components (Tarjan), iterative so a 10k-long chain cannot overflow the stack.
 * Components come out dependencies first (a component after every component it reaches), each
 * starting with its first-discovered node. Targets that are not keys of the graph are leaves and
 * are not reported.
 */
export const stronglyConnected = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const enter = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.size - 1);
    stack.push(node);
    onStack.add(node);
  };
  const lower = (node: string, value: number): void => {
    if (value < (low.get(node) ?? value)) low.set(node, value);
  };
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    enter(root);
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    for (let frame = work.at(-1); frame !== undefined; frame = work.at(-1)) {
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const next = edges[frame.edge] ?? '';
        frame.edge += 1;
        if (!graph.has(next)) continue;
        if (!index.has(next)) {
          enter(next);
          work.push({ node: next, edge: 0 });
        } else if (onStack.has(next)) lower(frame.node, index.get(next) ?? 0);
        continue;
      }
      work.pop();
      const nodeLow = low.get(frame.node) ?? 0;
      if (nodeLow === index.get(frame.node)) {
        const component: string[] = [];
        for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
          onStack.delete(member);
          component.push(member);
          if (member === frame.node) break;
        }
        components.push(component.reverse());
      }
      const parent = work.at(-1);
      if (parent) lower(parent.node, nodeLow);
    }
  }
  return components;
};
