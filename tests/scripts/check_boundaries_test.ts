import assert from "node:assert/strict";
import { posix } from "node:path";
import {
  ALLOWED,
  areaOf,
  checkDocTable,
  checkFiles,
  checkSource,
  EXCEPTIONS,
} from "../../scripts/check_boundaries.ts";

const AREAS = Object.keys(ALLOWED);

// A file inside each area, and a second one to import.
function fileIn(area: string, name = "x"): string {
  if (area === "main") return "main.ts";
  if (area === "workers") return `workers/${name}_worker.ts`;
  if (area === "app") return `lib/app/${name === "x" ? "export" : "shared"}/${name}.ts`;
  return `lib/${area}/${name}.ts`;
}

function specFrom(from: string, to: string): string {
  const rel = posix.relative(posix.dirname(from), to);
  return rel.startsWith(".") ? rel : `./${rel}`;
}

// Every way of reaching another module, as one line of code each.
const FORMS: Record<string, (spec: string) => string> = {
  "static import": (s) => `import { y } from "${s}";`,
  "multi-line import": (s) => `import {\n  y,\n  z,\n} from "${s}";`,
  "re-export": (s) => `export * from "${s}";`,
  "dynamic import": (s) => `const m = await import("${s}");`,
  "import type": (s) => `type T = import("${s}").T;`,
  "typeof import": (s) => `let m: typeof import("${s}");`,
  "data URL": (s) => `const u = new URL("${s}", import.meta.url);`,
};
const WORKER_FORMS: Record<string, (spec: string) => string> = {
  "new Worker": (s) => `new Worker(new URL("${s}", import.meta.url), { type: "module" });`,
  "new WorkerPool": (s) => `new WorkerPool<A, B>(\n  new URL("${s}", import.meta.url),\n  { size: 2 },\n);`,
};

Deno.test("areaOf maps paths to areas", () => {
  assert.equal(areaOf("main.ts"), "main");
  assert.equal(areaOf("lib/engine/parts.ts"), "engine");
  assert.equal(areaOf("lib/app/export/export_chat.ts"), "app");
  assert.equal(areaOf("workers/fetch_tasks/index.ts"), "workers");
  assert.equal(areaOf("tests/engine/parts_test.ts"), undefined);
  for (const area of AREAS) assert.equal(areaOf(fileIn(area)), area);
});

Deno.test("every pair of areas: forbidden edges are violations in every form, allowed ones are not", () => {
  const wrong: string[] = [];
  for (const from of AREAS) {
    for (const to of AREAS.filter((a) => a !== from)) {
      const allowed = ALLOWED[from].includes(to);
      const file = fileIn(from);
      const spec = specFrom(file, fileIn(to, "y"));
      const forms = to === "workers" ? { ...FORMS, ...WORKER_FORMS } : FORMS;
      for (const [form, code] of Object.entries(forms)) {
        const found = checkSource(file, code(spec)).length;
        if (found !== (allowed ? 0 : 1)) wrong.push(`${from} -> ${to} by ${form}: ${found} violations`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("the table keeps the house order: no cycles, and the pinned rules hold", () => {
  const reach = (a: string, seen = new Set<string>()): Set<string> => {
    for (const b of ALLOWED[a]) if (!seen.has(b)) reach(b, seen.add(b));
    return seen;
  };
  for (const a of AREAS) assert.ok(!reach(a).has(a), `${a} reaches itself through ALLOWED`);
  for (const a of ["engine", "store", "export", "progress"]) assert.ok(!reach(a).has("telegram"), a);
  assert.ok(!ALLOWED.cli.includes("workers"), "cli never starts workers");
  assert.ok(ALLOWED.app.includes("workers"), "app starts workers through WorkerPool");
  assert.deepEqual(ALLOWED.core, []);
  // Nothing imports main, and only main imports cli.
  for (const a of AREAS) assert.ok(!reach(a).has("main"), a);
  for (const a of AREAS.filter((a) => a !== "main")) assert.ok(!reach(a).has("cli"), a);
});

Deno.test("docs/architecture.md's table agrees with ALLOWED, and a drifted table is reported", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/architecture.md", import.meta.url));
  assert.deepEqual(checkDocTable(doc), []);
  const drifted = doc.replace(/^\| engine .*$/m, "| engine | `lib/engine/` | store, app, progress, core |");
  assert.notEqual(drifted, doc);
  assert.match(checkDocTable(drifted)[0].message, /engine may import/);
  assert.match(checkDocTable(doc.replace(/^\| bot .*\n/m, ""))[0].message, /bot is missing/);
  assert.equal(checkDocTable("# no table").length, 1);
});

Deno.test("npm:telegram only in lib/telegram and the test/bench code that drives GramJS", () => {
  const specs = ["telegram", "npm:telegram@2.26.22", "npm:/telegram@2.26.22/tl", "telegram/tl/index.js"];
  const ok = ["lib/telegram/x.ts", "tests/telegram/x_test.ts", "tests/fakedc/x.ts", "scripts/bench_x.ts"];
  const notOk = [...AREAS.filter((a) => a !== "telegram").map((a) => fileIn(a)), "tests/engine/x_test.ts"];
  const wrong: string[] = [];
  for (const spec of specs) {
    for (const form of ["static import", "multi-line import", "re-export", "dynamic import", "import type"]) {
      const code = FORMS[form](spec);
      for (const f of ok) if (checkSource(f, code).length !== 0) wrong.push(`${f}: ${code}`);
      for (const f of notOk) if (checkSource(f, code).length !== 1) wrong.push(`${f}: ${code}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(checkSource("lib/engine/x.ts", 'import { Telegraf } from "npm:telegraf";').length, 0);
});

Deno.test("subprocesses start only in lib/tools/run_tool.ts", () => {
  const starts = [
    'const c = new Deno.Command("rclone", { args });',
    "Deno.run({ cmd: ['ls'] });",
    'import { spawn } from "node:child_process";',
    'const { spawn } = await import("node:child_process");',
    'import cp from "child_process";',
  ];
  const wrong: string[] = [];
  for (const code of starts) {
    for (const area of AREAS) {
      const n = checkSource(fileIn(area), code).length;
      if (n !== 1) wrong.push(`${area}: ${code}: ${n}`);
    }
    for (const f of ["lib/tools/run_tool.ts", "tests/e2e/x_test.ts", "scripts/demo.ts"]) {
      if (checkSource(f, code).length !== 0) wrong.push(`${f}: ${code}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.equal(
    checkSource("lib/media/x.ts", '// never Deno.Command here\nconst s = "Deno.Command";').length,
    0,
  );
});

Deno.test("text that only mentions an import is not an edge", () => {
  const code = [
    '// import { y } from "../telegram/y.ts";',
    '/* new Worker(new URL("../../workers/w.ts", import.meta.url)) */',
    "const s = 'import(\"../telegram/y.ts\")';",
    'const t = `export * from "../cli/y.ts"`;',
    'const r = /["\']import("..\\/cli\\/y.ts")/;',
    "const q = a / 2; // import '../cli/y.ts'",
  ].join("\n");
  assert.deepEqual(checkSource("lib/engine/x.ts", code), []);
});

Deno.test("the violation points at the statement's line", () => {
  const v = checkSource("lib/engine/x.ts", 'const a = 1;\nimport {\n  y,\n} from "../app/export/y.ts";\n');
  assert.equal(v.length, 1);
  assert.equal(v[0].line, 2);
  assert.match(v[0].message, /engine may not import app/);
});

Deno.test("computed worker URLs and dynamic imports are violations in product code", () => {
  assert.equal(checkSource("lib/app/export/x.ts", "new WorkerPool(url, { size: 2 });").length, 1);
  assert.equal(checkSource("lib/app/export/x.ts", "const m = await import(name);").length, 1);
  assert.equal(
    checkSource("lib/engine/worker_pool.ts", 'new Worker(this.#url, { type: "module" });').length,
    0,
  );
  assert.equal(
    checkSource("tests/engine/worker_pool_test.ts", "new WorkerPool(URL_, { size: 1 });").length,
    0,
  );
});

Deno.test("data URLs outside the areas are fine; product code never reaches tests/ or scripts/", () => {
  assert.equal(checkSource("lib/core/x.ts", 'new URL("../../deno.json", import.meta.url);').length, 0);
  assert.equal(checkSource("lib/core/x.ts", 'new URL("./fixtures/a.bin", import.meta.url);').length, 0);
  assert.equal(
    checkSource("lib/app/export/x.ts", 'import { f } from "../../../tests/fakedc/c.ts";').length,
    1,
  );
  assert.equal(checkSource("lib/core/x.ts", 'new URL("../../scripts/demo.ts", import.meta.url);').length, 1);
});

Deno.test("lib/app: use cases may use shared and each other, shared uses no use case", () => {
  assert.equal(checkSource("lib/app/transcribe/x.ts", 'import { d } from "../download/d.ts";').length, 0);
  assert.equal(checkSource("lib/app/export/x.ts", 'import { s } from "../shared/s.ts";').length, 0);
  assert.equal(checkSource("lib/app/shared/x.ts", 'import { e } from "../export/e.ts";').length, 1);
  assert.equal(checkSource("lib/app/x.ts", "export const x = 1;").length, 1);
  assert.equal(checkSource("lib/sync/x.ts", "export const x = 1;").length, 1);
});

Deno.test("an import cycle within a folder is a violation, directly or through a chain", () => {
  const two = new Map([
    ["lib/app/export/a.ts", 'import { b } from "./b.ts";\nexport const a = 1;'],
    ["lib/app/export/b.ts", 'import type { A } from "./a.ts";\nexport const b = 1;'],
  ]);
  const v = checkFiles(two);
  assert.equal(v.length, 1);
  assert.equal(v[0].file, "lib/app/export/a.ts");
  assert.match(v[0].message, /within lib\/app\/export\/: a\.ts -> b\.ts -> a\.ts/);

  const chain = new Map([
    ["lib/engine/a.ts", 'import { b } from "./b.ts";'],
    ["lib/engine/b.ts", 'import { c } from "./c.ts";'],
    ["lib/engine/c.ts", 'const a = await import("./a.ts");'],
    ["lib/engine/d.ts", 'import { a } from "./a.ts";'],
  ]);
  assert.deepEqual(checkFiles(chain).map((x) => x.message), [
    "import cycle within lib/engine/: a.ts -> b.ts -> c.ts -> a.ts",
  ]);
  chain.set("lib/engine/c.ts", "export const c = 1;");
  assert.deepEqual(checkFiles(chain), []);
});

Deno.test("a cycle between use-case folders of lib/app is a violation", () => {
  const files = new Map([
    ["lib/app/transcribe/t.ts", 'import { d } from "../download/d.ts";'],
    ["lib/app/download/d.ts", 'import { s } from "../shared/s.ts";'],
    ["lib/app/shared/s.ts", "export const s = 1;"],
    ["lib/app/download/e.ts", "export const e = 1;"],
  ]);
  assert.deepEqual(checkFiles(files), []);
  files.set("lib/app/download/e.ts", 'import { t } from "../transcribe/t.ts";');
  const v = checkFiles(files);
  assert.deepEqual(v.map((x) => x.message), [
    "cycle between use-case folders of lib/app: download -> transcribe -> download",
  ]);
  assert.equal(v[0].file, "lib/app/download/e.ts");
});

Deno.test("EXCEPTIONS admit their one edge only, and an unused one is reported", () => {
  const e = EXCEPTIONS[0];
  const code = `new WorkerPool(new URL("${specFrom(e.from, e.to)}", import.meta.url), {});`;
  assert.equal(checkFiles(new Map([[e.from, code]])).length, 0);
  const other = `new WorkerPool(new URL("${
    specFrom(e.from, "workers/fetch_worker.ts")
  }", import.meta.url), {});`;
  assert.equal(checkFiles(new Map([[e.from, other]])).length, 2);
  assert.match(checkFiles(new Map([[e.from, ""]]))[0].message, /unused/);
});
