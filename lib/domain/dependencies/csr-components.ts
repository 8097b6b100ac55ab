/** A directed graph over nodes 0 .. count - 1: the targets of node i are target[start[i] .. start[i + 1] - 1]. */
export interface Csr {
  count: number;
  start: Int32Array;
  target: Int32Array;
}

export interface Components {
  /** How many strongly connected components. */
  count: number;
  /** The component of each node, numbered dependencies first (after every component it reaches). */
  of: Int32Array;
}

/**
 * Strongly connected components (Tarjan) of a graph in compressed rows, iterative with typed
 * arrays, so a chain of 100k nodes neither overflows the stack nor allocates per node.
 */
export const csrComponents = ({ count, start, target }: Csr): Components => {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  const callNode = new Int32Array(count);
  const callEdge = new Int32Array(count);
  const of = new Int32Array(count);
  let discovered = 0;
  let components = 0;
  let top = 0;
  let depth = 0;
  const enter = (v: number): void => {
    index[v] = discovered;
    low[v] = discovered;
    discovered += 1;
    stack[top++] = v;
    onStack[v] = 1;
    callNode[depth] = v;
    callEdge[depth] = start[v] as number;
    depth += 1;
  };
  for (let root = 0; root < count; root += 1) {
    if (index[root] !== -1) continue;
    enter(root);
    while (depth > 0) {
      const v = callNode[depth - 1] as number;
      const e = callEdge[depth - 1] as number;
      if (e < (start[v + 1] as number)) {
        callEdge[depth - 1] = e + 1;
        const w = target[e] as number;
        if (index[w] === -1) enter(w);
        else if (onStack[w] === 1) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      depth -= 1;
      if (low[v] === index[v]) {
        let member: number;
        do {
          member = stack[--top] as number;
          onStack[member] = 0;
          of[member] = components;
        } while (member !== v);
        components += 1;
      }
      if (depth > 0) {
        const parent = callNode[depth - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
    }
  }
  return { count: components, of };
};
