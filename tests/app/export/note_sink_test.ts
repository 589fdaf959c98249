import assert from "node:assert/strict";
import { NoteSink } from "../../../lib/app/export/note_sink.ts";
import { ResumeWriter } from "../../../lib/app/export/resume_writer.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { errnoCode } from "../../../lib/core/errors.ts";
import { isTransient } from "../../../lib/engine/is_transient.ts";

/** Adds 100 notes and then one of them again, flushes, and checks that all are on disk and the later write won. */
async function hundredNotes(sink: NoteSink, dir: string): Promise<void> {
  for (let i = 0; i < 100; i++) await sink.add(`${dir}/n/${i}.md`, `note ${i}\n`);
  await sink.add(`${dir}/n/5.md`, "rewritten\n");
  await sink.flush();
  const names = [];
  for await (const e of Deno.readDir(`${dir}/n`)) names.push(e.name);
  assert.equal(names.length, 100);
  assert.ok(names.every((n) => n.endsWith(".md")), "no .part left");
  assert.equal(await Deno.readTextFile(`${dir}/n/99.md`), "note 99\n");
  assert.equal(await Deno.readTextFile(`${dir}/n/5.md`), "rewritten\n");
}

Deno.test("NoteSink writes every note by flush, in order (a later write of a path wins)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_note_sink_" });
  const sink = new NoteSink({ batchFiles: 7, queue: 2 });
  try {
    await hundredNotes(sink, dir);
  } finally {
    sink.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NoteSink: a write worker that cannot start: every note is written here, in order, after one warning", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_note_sink_" });
  const events: EventBody[] = [];
  const sink = new NoteSink({
    batchFiles: 7,
    queue: 2,
    workerUrl: new URL("../../engine/fixtures/broken_worker.ts", import.meta.url),
    emit: (e) => events.push(e),
  });
  try {
    await hundredNotes(sink, dir);
    assert.deepEqual(events.map((e) => e.type === "warning" && e.code), ["WRITE_WORKER_UNAVAILABLE"]);
  } finally {
    sink.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NoteSink: batches stopped by an abort and never flushed leave no unhandled rejection", async () => {
  // Ctrl-C: the export stops without flushing; a batch whose submit or result was rejected by the
  // abort must not surface later as an uncaught rejection (the process then exited 1, not 75).
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_note_sink_" });
  const sink = new NoteSink({ batchFiles: 1, queue: 4 });
  const stop = new AbortController();
  try {
    await sink.add(`${dir}/a.md`, "a\n", stop.signal);
    stop.abort(new Error("stopped"));
    await sink.add(`${dir}/b.md`, "b\n", stop.signal);
    // let the rejected batches settle while nobody awaits them
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  } finally {
    sink.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("NoteSink: a failed write rejects flush and the next add, and leaves no .part", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_note_sink_" });
  const sink = new NoteSink();
  try {
    await Deno.writeTextFile(`${dir}/file`, "x");
    await sink.add(`${dir}/ok.md`, "ok");
    await sink.add(`${dir}/file/under-a-file.md`, "x"); // a file is not a folder
    const err = await sink.flush().then(() => undefined, (e) => e);
    assert.match(String(err), /Cannot write .*under-a-file\.md/);
    // a disk error keeps its errno name through the write worker: not retried, reported under it
    assert.match(errnoCode(err) ?? "", /^E[A-Z]+$/, `code ${err?.code}`);
    assert.equal(isTransient(err), false);
    await assert.rejects(() => sink.add(`${dir}/later.md`, "x"), /Cannot write/);
    assert.equal(await Deno.readTextFile(`${dir}/ok.md`), "ok");
    const names = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), ["file", "ok.md"]);
  } finally {
    sink.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ResumeWriter with a sink: stream getters count written lines only after flushing them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_note_sink_" });
  const sink = new NoteSink();
  try {
    const w = new ResumeWriter(dir, { notes: sink });
    await w.prepareStream("c/messages.jsonl", undefined);
    const s = await w.openStream("c/messages.jsonl");
    await s.write('{"id":7}\n');
    await w.writeText("c/notes/7.md", "seven");
    const flushed = w.flush();
    // the line is on disk as soon as flush starts; the note once it resolves
    assert.equal(await Deno.readTextFile(`${dir}/c/messages.jsonl.part`), '{"id":7}\n');
    await flushed;
    assert.deepEqual([s.bytes, s.lines, s.lastId], [9, 1, 7]);
    assert.equal(await Deno.readTextFile(`${dir}/c/notes/7.md`), "seven");
    await assert.rejects(() => w.writeText("../escape.md", "x"));
    await s.commit();
    assert.equal(await Deno.readTextFile(`${dir}/c/messages.jsonl`), '{"id":7}\n');
  } finally {
    sink.close();
    await Deno.remove(dir, { recursive: true });
  }
});
