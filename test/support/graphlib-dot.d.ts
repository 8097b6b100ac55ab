/** The part of @dagrejs/graphlib-dot (untyped) the format tests use. */
declare module '@dagrejs/graphlib-dot' {
  interface DotGraph {
    hasNode(id: string): boolean;
    nodes(): string[];
    edges(): { v: string; w: string }[];
    node(id: string): Record<string, string> | undefined;
    edge(v: string, w: string): Record<string, string> | undefined;
    children(id?: string): string[];
  }
  const dot: { read(text: string): DotGraph };
  export default dot;
}
