import assert from "node:assert/strict";
import { ResumeWriter } from "../../../lib/app/export/resume_writer.ts";
import { lineTail } from "../../../lib/app/export/line_tail.ts";
import { planShards } from "../../../lib/app/export/shard_feed.ts";
import { parseExportTarget } from "../../../lib/app/export/export_target.ts";

Deno.test("ResumeWriter truncates the .part to the checkpoint and skips replayed lines", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_resume_writer_" });
  try {
    const w1 = new ResumeWriter(dir);
    await w1.prepareStream("c/messages.jsonl", undefined);
    const s1 = await w1.openStream("c/messages.jsonl");
    await s1.write('{"id":1}\n');
    await s1.write('{"id":2}\n');
    const cp = { bytes: s1.bytes, lines: s1.lines };
    assert.equal(s1.lastId, 2);
    await s1.write('{"id":3,"half'); // a kill in the middle of a line
    await s1.abort();
    const w2 = new ResumeWriter(dir);
    await w2.prepareStream("c/messages.jsonl", cp);
    const s2 = await w2.openStream("c/messages.jsonl");
    await s2.write('{"id":1}\n'); // replayed: already in the file
    await s2.write('{"id":2}\n');
    await s2.write('{"id":3}\n');
    await s2.commit();
    assert.equal(await Deno.readTextFile(`${dir}/c/messages.jsonl`), '{"id":1}\n{"id":2}\n{"id":3}\n');
    // an incremental run starts from the committed file
    const w3 = new ResumeWriter(dir);
    await w3.prepareStream("c/messages.jsonl", { bytes: 27, lines: 3 });
    const s3 = await w3.openStream("c/messages.jsonl");
    for (const id of [1, 2, 3, 4]) await s3.write(`{"id":${id}}\n`);
    await s3.commit();
    assert.equal((await Deno.readTextFile(`${dir}/c/messages.jsonl`)).split("\n").length, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ResumeWriter refuses a checkpoint whose file another run rewrote; lineTail reads big files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_resume_writer_" });
  try {
    await Deno.mkdir(`${dir}/c`);
    await Deno.writeTextFile(`${dir}/c/messages.jsonl`, '{"id":1}\n{"id":2}\n{"id":3}\n');
    const w = new ResumeWriter(dir);
    assert.equal(await w.prepareStream("c/messages.jsonl", { bytes: 27, lines: 3, lastId: 3 }), true);
    // same size, other lines (a narrower run merged in an edit): the checkpoint is void
    await Deno.writeTextFile(`${dir}/c/messages.jsonl`, '{"id":1}\n{"id":22}\n{"id":4}\n');
    await Deno.remove(`${dir}/c/messages.jsonl.part`);
    assert.equal(await w.prepareStream("c/messages.jsonl", { bytes: 27, lines: 3, lastId: 3 }), false);
    assert.equal(await Deno.stat(`${dir}/c/messages.jsonl.part`).then(() => true, () => false), false);
    // shorter than the checkpoint: void too, not an error
    assert.equal(await w.prepareStream("c/messages.jsonl", { bytes: 900, lines: 9 }), false);
    // lines split across read chunks, a last line without newline
    const long = Array.from({ length: 5000 }, (_, i) => `{"id":${i + 1},"t":"${"x".repeat(i % 97)}"}`);
    await Deno.writeTextFile(`${dir}/big.jsonl`, long.join("\n"));
    assert.deepEqual(await lineTail(`${dir}/big.jsonl`), { lines: 5000, lastId: 5000 });
    await Deno.writeTextFile(`${dir}/big.jsonl`, long.join("\n") + "\n");
    assert.deepEqual(await lineTail(`${dir}/big.jsonl`), { lines: 5000, lastId: 5000 });
    await Deno.writeTextFile(`${dir}/empty.jsonl`, "");
    assert.deepEqual(await lineTail(`${dir}/empty.jsonl`), { lines: 0, lastId: undefined });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ResumeWriter skips notes while replaying and unchanged notes when comparing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_resume_writer_" });
  try {
    const w = new ResumeWriter(dir);
    w.replaying = true;
    await w.writeText("n/1.md", "a");
    assert.equal(await Deno.stat(`${dir}/n/1.md`).then(() => true, () => false), false);
    w.replaying = false;
    await w.writeText("n/1.md", "a");
    w.compare = true;
    await w.writeText("n/1.md", "a");
    assert.equal(w.written, 1);
    await w.writeText("n/1.md", "b");
    assert.equal(w.written, 2);
    assert.equal(await Deno.readTextFile(`${dir}/n/1.md`), "b");
    await assert.rejects(() => w.writeText("../escape.md", "x"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("planShards covers the range exactly once; parseExportTarget reads topics and refuses junk", () => {
  const s = planShards(10, 2505, 1000);
  assert.deepEqual(s, [{ after: 10, upTo: 1010 }, { after: 1010, upTo: 2010 }, { after: 2010, upTo: 2505 }]);
  assert.deepEqual(planShards(5, 5, 100), []);
  assert.deepEqual(parseExportTarget("https://t.me/c/1234/56"), {
    chat: "https://t.me/c/1234",
    topicOrMessage: 56,
  });
  assert.deepEqual(parseExportTarget("https://t.me/c/1234/56/7"), {
    chat: "https://t.me/c/1234",
    topicId: 56,
    messages: { from: 7, to: 7 },
  });
  assert.deepEqual(parseExportTarget("t.me/durov/101"), { chat: "@durov", messages: { from: 101, to: 101 } });
  assert.deepEqual(parseExportTarget("https://t.me/durov/5-9"), {
    chat: "@durov",
    messages: { from: 5, to: 9 },
  });
  assert.deepEqual(parseExportTarget("@durov"), { chat: "@durov" });
  for (const bad of ["https://t.me/durov/abc", "t.me/durov/9-5", "https://t.me/c/1234/x"]) {
    assert.throws(() => parseExportTarget(bad), RangeError, bad);
  }
  assert.throws(() => parseExportTarget("t.me/+abc"), RangeError);
  assert.throws(() => parseExportTarget("../../etc"), RangeError);
});
