import assert from "node:assert/strict";
import { maskSource } from "../../../scripts/boundaries/mask_source.ts";
import { findEdges } from "../../../scripts/boundaries/find_edges.ts";

const edges = (text: string) => findEdges(maskSource(text)).map((e) => `${e.kind} ${e.spec} @${e.line}`);

Deno.test("maskSource blanks comments and literal contents but keeps offsets and line breaks", () => {
  const text = 'a /* x\ny */ "s\\"t" // z\n`t\n${"u"}`; r = /re"/g;';
  const m = maskSource(text);
  assert.equal(m.code.length, text.length);
  assert.equal(m.code.split("\n").length, text.split("\n").length);
  assert.equal(m.code, 'a     \n     "    "     \n` \n${" "}`; r = /   /g;');
  assert.deepEqual([...m.strings.values()], ['s\\"t', "u"]);
});

Deno.test("a quote inside a regex literal does not hide the import after it", () => {
  assert.deepEqual(edges('const r = /"/, s = 1; import { y } from "../y.ts";'), ["import ../y.ts @1"]);
  assert.deepEqual(edges('if (ok) return /[/"]/; import "./z.ts";'), ["import ./z.ts @1"]);
  // After a name, "/" divides: the quotes that follow are a real string.
  assert.deepEqual(edges('const q = a / b; import("./w.ts");'), ["dynamic ./w.ts @1"]);
});

Deno.test("template literals: text is masked, code in ${} is not", () => {
  assert.deepEqual(edges('const s = `import("./no.ts") ${await import("./yes.ts")} }`;'), [
    "dynamic ./yes.ts @1",
  ]);
  assert.deepEqual(edges("const s = `${{ a: 1 }.a}`; import(`./tpl.ts`);"), ["dynamic ./tpl.ts @1"]);
});
