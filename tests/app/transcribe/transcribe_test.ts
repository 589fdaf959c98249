import assert from "node:assert/strict";
import { join } from "node:path";
import { transcribeFiles } from "../../../lib/app/transcribe/transcribe.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { makeVideo, makeVoice, testModel, whisperCli } from "../../media/media_fixtures.ts";

Deno.test("transcribeFiles runs files on 2 media workers, writes into --out, and caches across runs", async () => {
  const dir = await Deno.makeTempDir();
  const cache = await Deno.makeTempDir();
  try {
    const a = await makeVoice(dir, 2, "a.ogg");
    const b = await makeVideo(dir, 1, "160x120", "b.mp4");
    const out = join(dir, "out");
    const events: EventBody[] = [];
    const opts = {
      whisperCli: (await whisperCli()).path,
      model: await testModel(),
      outDir: out,
      formats: ["srt", "txt"] as Array<"srt" | "txt">,
      concurrency: 2,
      searchPath: Deno.env.get("PATH") ?? "",
      cacheDir: cache,
      emit: (e: EventBody) => events.push(e),
      signal: new AbortController().signal,
    };
    const first = await transcribeFiles([a, b, join(dir, "missing.ogg")], opts);
    assert.deepEqual([first.total, first.done, first.failed, first.cached], [3, 2, 1, 0]);
    assert.equal(first.files[0].transcript?.text, "hello world");
    assert.deepEqual(first.files[1].outputs, [join(out, "b.srt"), join(out, "b.txt")]);
    assert.equal(first.files[2].warning?.code, "NOT_FOUND");
    const count = (t: string) => events.filter((e) => e.type === t).length;
    assert.deepEqual(["start", "item_start", "item_done", "item_failed", "done"].map(count), [1, 3, 2, 1, 1]);
    assert.equal(events[0].type, "start");
    assert.equal(events.at(-1)?.type, "done");
    const second = await transcribeFiles([a, b], opts);
    assert.deepEqual([second.done, second.cached], [2, 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("transcribeFiles rejects an empty list, a missing model and bad threads before any work", async () => {
  const base = {
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: "/nonexistent",
    emit: () => {},
    signal: new AbortController().signal,
  };
  await assert.rejects(transcribeFiles([], { ...base, model: await testModel() }), /No files/);
  await assert.rejects(transcribeFiles(["a.ogg"], base), /No Whisper model/);
  await assert.rejects(transcribeFiles(["a.ogg"], { ...base, model: "/nonexistent.bin" }), /not found/);
  await assert.rejects(
    transcribeFiles(["a.ogg"], { ...base, model: await testModel(), threads: 0 }),
    RangeError,
  );
});
