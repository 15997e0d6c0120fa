/** Container start-up dependencies as a graph, and the cycle finder ECS's ordering needs. */

/** container name -> names of the containers it depends on */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/**
 * A cycle in the graph as the path that closes it (`["a", "b", "a"]`), or `undefined` when the
 * graph is acyclic. Depth-first, iterative over the start nodes and recursive over edges (the
 * graph has at most 10 nodes).
 */
export const findDependencyCycle = (graph: DependencyGraph): string[] | undefined => {
  const done = new Set<string>();
  const onPath: string[] = [];

  const visit = (node: string): string[] | undefined => {
    const start = onPath.indexOf(node);
    if (start !== -1) return [...onPath.slice(start), node];
    if (done.has(node)) return undefined;
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    onPath.pop();
    done.add(node);
    return undefined;
  };

  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
};
