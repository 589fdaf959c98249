/**
 * Fails when the code breaks the import rules of docs/architecture.md: the one-way order of areas
 * (ALLOWED below, which must agree with the doc's table), no import cycles between files nor between the
 * use-case folders of lib/app, npm:telegram only in lib/telegram, and subprocesses only in
 * lib/tools/run_tool.ts. Static and dynamic imports (also in types), workers started from a
 * `new URL(..., import.meta.url)` and other module-relative URLs all count as edges.
 */
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { type Edge, findEdges } from "./boundaries/find_edges.ts";
import { findCycles } from "./boundaries/find_cycles.ts";
import { maskSource } from "./boundaries/mask_source.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Which areas each area may import, besides itself; the table in docs/architecture.md says the same. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  main: ["cli", "core"],
  // cli calls app and never starts workers itself: app owns the pools.
  cli: ["app", "progress", "core"],
  app: [
    "workers",
    "telegram",
    "engine",
    "store",
    "export",
    "media",
    "tools",
    "remote",
    "grab",
    "serve",
    "bot",
    "music",
    "progress",
    "core",
  ],
  workers: ["telegram", "engine", "store", "export", "media", "tools", "progress", "core"],
  // telegram implements engine's FileSource and account pool; engine never imports telegram, so no cycle.
  telegram: ["engine", "progress", "core"],
  engine: ["store", "progress", "core"],
  store: ["core"],
  export: ["core"],
  media: ["engine", "tools", "progress", "core"],
  remote: ["tools", "progress", "core"],
  grab: ["media", "tools", "progress", "core"],
  // music recognition: fpcalc through tools, nothing of app or the engine.
  music: ["tools", "core"],
  bot: ["tools", "progress", "core"],
  serve: ["engine", "progress", "core"],
  tools: ["progress", "core"],
  progress: ["core"],
  core: [],
};

/** Single edges the table forbids but the code needs, each with its reason; unused ones are reported. */
export const EXCEPTIONS: ReadonlyArray<{ from: string; to: string; why: string }> = [
  {
    from: "lib/telegram/fast_decrypt.ts",
    to: "workers/crypto_worker.ts",
    why: "decrypt offload lives inside telegram's connections; that worker imports only engine and telegram",
  },
  {
    from: "lib/telegram/telegram_account_pool.ts",
    to: "workers/fetch_worker.ts",
    why: "an account's fetch workers open that account's own connections; the worker runs telegram code only",
  },
];

const SUBPROCESS_WRAPPER = "lib/tools/run_tool.ts";
// The pool host starts whatever URL it is given; every caller's URL is checked instead.
const WORKER_HOST = "lib/engine/worker_pool.ts";
const TELEGRAM_OK = [/^lib\/telegram\//, /^tests\/(telegram|fakedc)\//, /^scripts\/(bench_|peers\/)/];
const TELEGRAM_SPEC = /^(npm:\/?)?telegram(@|\/|$)/;
const DOC = "docs/architecture.md";

/** One rule violation. */
export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** Area of a repo-relative path: main, workers, a lib/ folder, or undefined (tests, scripts, docs). */
export function areaOf(rel: string): string | undefined {
  if (rel === "main.ts") return "main";
  if (rel.startsWith("workers/")) return "workers";
  const m = rel.match(/^lib\/([^/]+)\//);
  return m ? m[1] : undefined;
}

/** Checks one file's source text and returns its violations (cycles need checkFiles). */
export function checkSource(rel: string, text: string): Violation[] {
  return _scan(rel, text).violations;
}

/** Checks a set of files (repo-relative path -> text): each file, then cycles and unused exceptions. */
export function checkFiles(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  const used = new Set<string>();
  // Resolved product-code edges between the given files, with the line of their first occurrence.
  const lines = new Map<string, number>();
  for (const [rel, text] of files) {
    const scan = _scan(rel, text);
    out.push(...scan.violations);
    scan.exceptions.forEach((e) => used.add(e));
    if (!areaOf(rel)) continue;
    for (const { target, line } of scan.targets) {
      if (files.has(target) && !lines.has(`${rel}\0${target}`)) lines.set(`${rel}\0${target}`, line);
    }
  }
  const edges = [...lines.keys()].map((k) => k.split("\0") as [string, string]);

  // Files: the in-folder cycle is the usual one, but a chain through other folders is caught too.
  for (const cycle of findCycles(_graph(edges))) {
    const dir = posix.dirname(cycle[0]);
    const oneDir = cycle.every((f) => posix.dirname(f) === dir);
    out.push({
      file: cycle[0],
      line: lines.get(`${cycle[0]}\0${cycle[1]}`) ?? 1,
      message: oneDir
        ? `import cycle within ${dir}/: ${cycle.map((f) => posix.basename(f)).join(" -> ")}`
        : `import cycle: ${cycle.join(" -> ")}`,
    });
  }
  // Use-case folders of lib/app: one may use another, but never in a circle.
  const folderEdges = edges
    .map(([a, b]) => [_appFolder(a), _appFolder(b), a, b])
    .filter(([f, g]) => f && g && f !== g) as string[][];
  for (const cycle of findCycles(_graph(folderEdges.map(([f, g]) => [f, g])))) {
    const [, , file, target] = folderEdges.find(([f, g]) => f === cycle[0] && g === cycle[1])!;
    out.push({
      file,
      line: lines.get(`${file}\0${target}`) ?? 1,
      message: `cycle between use-case folders of lib/app: ${cycle.join(" -> ")}`,
    });
  }
  for (const e of EXCEPTIONS) {
    if (files.has(e.from) && !used.has(`${e.from}\0${e.to}`)) {
      out.push({
        file: e.from,
        line: 1,
        message: `exception for ${e.to} is unused: remove it from EXCEPTIONS`,
      });
    }
  }
  return out;
}

/** Compares the "area | folder | may import" table of docs/architecture.md with ALLOWED. */
export function checkDocTable(markdown: string): Violation[] {
  const lines = markdown.split("\n");
  const head = lines.findIndex((l) => /^\|\s*area\s*\|\s*folder\s*\|\s*may import\s*\|/i.test(l));
  const problem = (line: number, message: string) => ({ file: DOC, line, message });
  if (head < 0) return [problem(1, "no `| area | folder | may import |` table")];
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (let i = head + 2; i < lines.length && lines[i].startsWith("|"); i++) {
    const [area, folder, imports] = lines[i].split("|").slice(1, -1).map((c) => c.replaceAll("`", "").trim());
    const listed = /^(—|-|nothing)?$/.test(imports ?? "") ? [] : imports.split(/\s*,\s*/);
    seen.add(area);
    const code = ALLOWED[area];
    if (!Object.hasOwn(ALLOWED, area)) out.push(problem(i + 1, `area ${area} is not in ALLOWED`));
    else if ([...code].sort().join() !== [...listed].sort().join()) {
      out.push(
        problem(i + 1, `${area} may import "${listed.join(", ")}" here but "${code.join(", ")}" in code`),
      );
    }
    if (areaOf(folder?.endsWith(".ts") ? folder : `${folder?.replace(/\/?$/, "/")}x.ts`) !== area) {
      out.push(problem(i + 1, `folder ${folder} is not area ${area}`));
    }
  }
  for (const area of Object.keys(ALLOWED)) {
    if (!seen.has(area)) out.push(problem(head + 1, `area ${area} is missing from the table`));
  }
  return out;
}

interface _Scan {
  violations: Violation[];
  /** Repo-relative targets of relative imports, dynamic imports and workers. */
  targets: Array<{ target: string; line: number }>;
  /** `from\0to` of the EXCEPTIONS this file used. */
  exceptions: string[];
}

function _scan(rel: string, text: string): _Scan {
  const scan: _Scan = { violations: [], targets: [], exceptions: [] };
  const area = areaOf(rel);
  const masked = maskSource(text);
  const report = (line: number, message: string) => scan.violations.push({ file: rel, line, message });
  if (area && !Object.hasOwn(ALLOWED, area)) {
    report(1, `lib/${area}/ is not an area: add it to ALLOWED and to the table in ${DOC}`);
  }
  if (area === "app" && !_appFolder(rel)) report(1, "lib/app/ holds only use-case folders and shared/");
  for (const edge of findEdges(masked)) {
    const what = _describe(edge);
    const spec = edge.spec;
    if (spec === null) {
      if (area && rel !== WORKER_HOST && edge.kind !== "url") {
        report(edge.line, `${what}: the checker cannot follow a computed specifier; write it as a literal`);
      }
      continue;
    }
    if (edge.kind !== "worker" && edge.kind !== "url" && TELEGRAM_SPEC.test(spec)) {
      if (!TELEGRAM_OK.some((r) => r.test(rel))) {
        report(edge.line, `${what}: npm:telegram only in lib/telegram`);
      }
    }
    if (area && /^(node:)?child_process$/.test(spec) && rel !== SUBPROCESS_WRAPPER) {
      report(edge.line, `${what}: only ${SUBPROCESS_WRAPPER} starts subprocesses`);
    }
    // A URL without a scheme is relative to the module, "./" or not; an import needs the dot.
    const relativeSpec = edge.kind === "url" ? !/^([a-z][\w+.-]*:|\/)/i.test(spec) : spec.startsWith(".");
    if (!area || !relativeSpec) continue;
    const target = posix.normalize(posix.join(posix.dirname(rel), spec.replace(/[?#].*$/, "")));
    if (edge.kind !== "url") scan.targets.push({ target, line: edge.line });
    const to = areaOf(target);
    if (/^(tests|scripts)\//.test(target)) {
      report(edge.line, `${what}: product code never uses tests/ or scripts/`);
    } else if (EXCEPTIONS.some((e) => e.from === rel && e.to === target)) {
      scan.exceptions.push(`${rel}\0${target}`);
    } else if (to && to !== area && !ALLOWED[area]?.includes(to)) {
      report(edge.line, `${what}: ${area} may not import ${to}`);
    } else if (
      area === "app" && to === "app" && _appFolder(rel) === "shared" && _appFolder(target) !== "shared"
    ) {
      report(edge.line, `${what}: lib/app/shared may not import a use case`);
    }
  }
  if (area && rel !== SUBPROCESS_WRAPPER) {
    for (const m of masked.code.matchAll(/\bDeno\s*\.\s*(Command|run)\b/g)) {
      report(_lineOf(masked.code, m.index), `starts a subprocess: only ${SUBPROCESS_WRAPPER} may`);
    }
  }
  return scan;
}

function _describe(edge: Edge): string {
  const spec = edge.spec ?? "(computed)";
  if (edge.kind === "dynamic") return `imports ${spec} dynamically`;
  if (edge.kind === "worker") return `starts worker ${spec}`;
  if (edge.kind === "url") return `refers to ${spec}`;
  return `imports ${spec}`;
}

// "export" for lib/app/export/x.ts; undefined outside lib/app's folders.
function _appFolder(rel: string): string | undefined {
  return rel.match(/^lib\/app\/([^/]+)\//)?.[1];
}

function _graph(edges: string[][]): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const [a, b] of edges) g.set(a, (g.get(a) ?? new Set()).add(b));
  return g;
}

function _lineOf(code: string, offset: number): number {
  return code.slice(0, offset).split("\n").length;
}

async function* _walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory && !["node_modules", ".cache", ".tools", "dist", ".git"].includes(e.name)) {
      yield* _walk(p);
    } else if (e.isFile && /\.(ts|tsx|js|mjs)$/.test(e.name)) yield p;
  }
}

if (import.meta.main) {
  const files = new Map<string, string>();
  for (const top of ["main.ts", "lib", "workers", "tests", "scripts"]) {
    const abs = posix.join(ROOT, top);
    const stat = await Deno.stat(abs).catch(() => undefined);
    if (!stat) continue;
    for (const p of stat.isFile ? [abs] : await Array.fromAsync(_walk(abs))) {
      files.set(posix.relative(ROOT, p), await Deno.readTextFile(p));
    }
  }
  const violations = checkFiles(files);
  violations.push(...checkDocTable(await Deno.readTextFile(posix.join(ROOT, DOC)).catch(() => "")));
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  console.log(`boundaries: ${files.size} files, ${violations.length} violations`);
  if (violations.length > 0) Deno.exit(1);
}
