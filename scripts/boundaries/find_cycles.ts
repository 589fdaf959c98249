/**
 * Cycle finding for the boundary checker: one example cycle for every strongly connected group of
 * nodes (Tarjan), so each tangle is reported once with a path a reader can follow.
 */

/**
 * Returns one cycle per tangle in `graph`, each as a path that starts and ends at the same node
 * (`["a", "b", "a"]`; a node that reaches itself directly gives `["a", "a"]`). Nodes and cycles come
 * out sorted, so reports are stable.
 *
 * @example
 * ```ts
 * findCycles(new Map([["a", ["b"]], ["b", ["a"]], ["c", ["a"]]])); // [["a", "b", "a"]]
 * ```
 */
export function findCycles(graph: ReadonlyMap<string, Iterable<string>>): string[][] {
  const next = (n: string) => [...(graph.get(n) ?? [])].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const visit = (n: string) => {
    index.set(n, index.size);
    low.set(n, index.get(n)!);
    stack.push(n);
    onStack.add(n);
    for (const m of next(n)) {
      if (!index.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (onStack.has(m)) low.set(n, Math.min(low.get(n)!, index.get(m)!));
    }
    if (low.get(n) !== index.get(n)) return;
    const group: string[] = [];
    let m: string;
    do {
      m = stack.pop()!;
      onStack.delete(m);
      group.push(m);
    } while (m !== n);
    if (group.length > 1 || next(n).includes(n)) groups.push(group.sort());
  };
  for (const n of [...graph.keys()].sort()) if (!index.has(n)) visit(n);

  return groups.map((g) => _pathBack(g[0], new Set(g), next)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

// Shortest path from `start` back to itself inside one group (breadth first).
function _pathBack(start: string, group: Set<string>, next: (n: string) => string[]): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const m of next(n)) {
      if (!group.has(m)) continue;
      if (m === start) return [start, ..._chain(n, from, start), start];
      if (!from.has(m)) {
        from.set(m, n);
        queue.push(m);
      }
    }
  }
  return [start, start];
}

// The nodes from `start` (exclusive) to `last` (inclusive) along the breadth-first parents.
function _chain(last: string, from: Map<string, string>, start: string): string[] {
  const out: string[] = [];
  for (let k: string | undefined = last; k !== undefined && k !== start; k = from.get(k)) out.unshift(k);
  return out;
}
