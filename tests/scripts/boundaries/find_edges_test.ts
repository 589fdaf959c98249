import assert from "node:assert/strict";
import { maskSource } from "../../../scripts/boundaries/mask_source.ts";
import { findEdges } from "../../../scripts/boundaries/find_edges.ts";

const edges = (text: string) => findEdges(maskSource(text)).map((e) => `${e.kind} ${e.spec} @${e.line}`);

Deno.test("findEdges reads every form with the line where the statement starts", () => {
  const text = [
    "import {",
    "  a,",
    "} from '../a.ts';",
    "export { b }",
    '  from "../b.ts";',
    'let c: typeof import("../c.ts");',
    'type D = import("../d.ts").D;',
    "const pool = new WorkerPool<A, B>(",
    '  new URL("../../workers/w.ts", import.meta.url),',
    ");",
    'const u = new URL("./data.json", import.meta.url);',
    "new Worker(url);",
    "x.import('./not.ts'); reimport('./not.ts');",
  ].join("\n");
  assert.deepEqual(edges(text), [
    "import ../a.ts @1",
    "import ../b.ts @4",
    "dynamic ../c.ts @6",
    "dynamic ../d.ts @7",
    "worker ../../workers/w.ts @8",
    "url ./data.json @11",
    "worker null @12",
  ]);
});
