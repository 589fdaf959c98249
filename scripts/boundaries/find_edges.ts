/**
 * Finds every way one module reaches another in a file's text: static imports and re-exports (also
 * spread over several lines), dynamic `import()` (also in types), workers started with
 * `new Worker(new URL(..., import.meta.url))` or `new WorkerPool(new URL(...))`, and other module-relative
 * URLs (`new URL("...", import.meta.url)`, `import.meta.resolve("...")`).
 */
import type { MaskedSource } from "./mask_source.ts";

/** How a file reaches another module. */
export type EdgeKind = "import" | "dynamic" | "worker" | "url";

/** One edge out of a file. */
export interface Edge {
  kind: EdgeKind;
  /** The specifier or URL as written; null when the code computes it, so no checker can follow it. */
  spec: string | null;
  /** 1-based line of the statement's start. */
  line: number;
}

// Keywords must not follow "." or a name character: `x.import(` and `reimport` are not imports.
const _STATIC = /(?<![\w$.])(?:import|export)\s*(?:[\w$\s{},*]*?\bfrom\s*)?(["'])/g;
const _DYNAMIC = /(?<![\w$.])import\s*\(\s*(["'`]?)/g;
const _WORKER = /(?<![\w$.])new\s+(?:Worker|WorkerPool)\s*(?:<[^()]*?>)?\s*\(\s*/g;
const _URL = /(?<![\w$.])new\s+URL\s*\(\s*(["'`])/g;
const _RESOLVE = /(?<![\w$.])import\.meta\.resolve\s*\(\s*(["'`])/g;

/**
 * Lists the edges of one masked file, in source order.
 *
 * @example
 * ```ts
 * findEdges(maskSource('const w = new Worker(new URL("../workers/w.ts", import.meta.url));'));
 * // [{ kind: "worker", spec: "../workers/w.ts", line: 1 }]
 * ```
 */
export function findEdges(src: MaskedSource): Edge[] {
  const { code, strings } = src;
  const lineAt = _lineIndex(code);
  const found: Array<Edge & { at: number }> = [];
  const add = (kind: EdgeKind, at: number, spec: string | null) =>
    found.push({ kind, spec, line: lineAt(at), at });

  for (const m of code.matchAll(_STATIC)) {
    add("import", m.index, strings.get(m.index + m[0].length - 1) ?? null);
  }
  for (const m of code.matchAll(_DYNAMIC)) {
    add("dynamic", m.index, m[1] ? strings.get(m.index + m[0].length - 1) ?? null : null);
  }
  // URLs handed straight to a worker are the worker's edge, not a second "url" edge.
  const workerUrls = new Set<number>();
  for (const m of code.matchAll(_WORKER)) {
    const url = _metaUrl(code, strings, m.index + m[0].length);
    if (url) workerUrls.add(url.at);
    add("worker", m.index, url?.spec ?? null);
  }
  for (const m of code.matchAll(_URL)) {
    const url = _metaUrl(code, strings, m.index);
    if (url && !workerUrls.has(url.at)) add("url", m.index, url.spec);
  }
  for (const m of code.matchAll(_RESOLVE)) {
    add("url", m.index, strings.get(m.index + m[0].length - 1) ?? null);
  }
  return found.sort((a, b) => a.at - b.at).map(({ kind, spec, line }) => ({ kind, spec, line }));
}

// Reads `new URL("<literal>", import.meta.url)` at `at`; anything else (a variable, another base) is null.
function _metaUrl(
  code: string,
  strings: Map<number, string>,
  at: number,
): { spec: string; at: number } | null {
  const head = /new\s+URL\s*\(\s*(["'`])/y;
  head.lastIndex = at;
  const m = head.exec(code);
  if (!m) return null;
  const quote = at + m[0].length - 1;
  const spec = strings.get(quote);
  if (spec === undefined) return null;
  const tail = /\s*,\s*import\.meta\.url\b/y;
  tail.lastIndex = quote + spec.length + 2;
  return tail.test(code) ? { spec, at } : null;
}

// Maps an offset to its 1-based line by binary search over the line starts.
function _lineIndex(code: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
