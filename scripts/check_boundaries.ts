/**
 * Fails when an import breaks the house rules (DESIGN.md): the one-way order
 * main -> cli -> app/workers -> modules -> core, npm:telegram only in lib/telegram,
 * and Deno.Command only in the subprocess wrapper lib/tools/run_tool.ts.
 */
import { relative, resolve } from "node:path";

const ROOT = resolve(new URL("..", import.meta.url).pathname);

/** Which lib/ areas each area may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  main: ["cli", "core"],
  cli: ["app", "core", "progress"],
  app: [
    "telegram",
    "engine",
    "store",
    "export",
    "media",
    "tools",
    "remote",
    "serve",
    "grab",
    "bot",
    "progress",
    "core",
  ],
  workers: ["telegram", "engine", "store", "export", "media", "tools", "progress", "core"],
  // telegram implements engine's FileSource; engine never imports telegram, so no cycle.
  telegram: ["engine", "progress", "core"],
  engine: ["store", "progress", "core"],
  store: ["core"],
  export: ["core"],
  media: ["engine", "tools", "progress", "core"],
  remote: ["tools", "progress", "core"],
  grab: ["media", "tools", "progress", "core"],
  bot: ["tools", "progress", "core"],
  tools: ["progress", "core"],
  serve: ["engine", "progress", "core"],
  progress: ["core"],
  core: [],
};

const SUBPROCESS_WRAPPER = "lib/tools/run_tool.ts";
const TELEGRAM_OK = [/^lib\/telegram\//, /^tests\/(telegram|fakedc)\//, /^scripts\/(bench_|peers\/)/];

/** One rule violation. */
export interface Violation {
  file: string;
  line: number;
  message: string;
}

/** Area of a repo-relative path: main, workers, a lib/ folder, or undefined (tests, scripts). */
export function areaOf(rel: string): string | undefined {
  if (rel === "main.ts") return "main";
  if (rel.startsWith("workers/")) return "workers";
  const m = rel.match(/^lib\/([^/]+)\//);
  return m ? m[1] : undefined;
}

/** Checks one file's source text and returns its violations. */
export function checkSource(rel: string, text: string): Violation[] {
  const out: Violation[] = [];
  const area = areaOf(rel);
  const lines = text.split("\n");
  lines.forEach((src, i) => {
    const line = i + 1;
    // Only real import/export statements (line-leading), not strings that mention them.
    const stmt = src.match(
      /^\s*(?:(?:import|export)\b[^"']*?(?:from\s+)?|\}\s*from\s+|(?:const|let)\s.*=\s*await\s+import\(\s*)["']([^"']+)["']/,
    );
    for (const m of stmt ? [stmt] : []) {
      const spec = m[1];
      if (/^(npm:\/?)?telegram(@|\/|$)/.test(spec) && !TELEGRAM_OK.some((r) => r.test(rel))) {
        out.push({
          file: rel,
          line,
          message: `imports ${spec}: npm:telegram is only allowed in lib/telegram`,
        });
      }
      if (area && spec.startsWith(".")) {
        const target = relative(ROOT, resolve(ROOT, rel, "..", spec));
        const to = areaOf(target);
        if (target.startsWith("tests/") || target.startsWith("scripts/")) {
          out.push({
            file: rel,
            line,
            message: `imports ${spec}: product code never imports tests/ or scripts/`,
          });
        } else if (to && to !== area && !ALLOWED[area]?.includes(to)) {
          out.push({ file: rel, line, message: `imports ${spec}: ${area} may not import ${to}` });
        }
      }
    }
    if (area && rel !== SUBPROCESS_WRAPPER && /\bDeno\.(Command|run)\b|node:child_process/.test(src)) {
      out.push({ file: rel, line, message: `starts a subprocess: only ${SUBPROCESS_WRAPPER} may` });
    }
  });
  return out;
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
  const violations: Violation[] = [];
  let files = 0;
  for (const top of ["main.ts", "lib", "workers", "tests", "scripts"]) {
    const abs = `${ROOT}/${top}`;
    const stat = await Deno.stat(abs).catch(() => undefined);
    if (!stat) continue;
    const paths = stat.isFile ? [abs] : await Array.fromAsync(_walk(abs));
    for (const p of paths) {
      files++;
      violations.push(...checkSource(relative(ROOT, p), await Deno.readTextFile(p)));
    }
  }
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  console.log(`boundaries: ${files} files, ${violations.length} violations`);
  if (violations.length > 0) Deno.exit(1);
}
