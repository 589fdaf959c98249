import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../_helpers/run_cli.ts";
import { SAMPLE_VOICE, testModel, whisperCli } from "../../media/media_fixtures.ts";

Deno.test("tgpipe transcribe: a good and a bad file -> exit 3, events per file, srt/vtt beside", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_tr_cli_" });
  try {
    const good = join(dir, "note.ogg"), bad = join(dir, "broken.ogg");
    await Deno.copyFile(SAMPLE_VOICE, good);
    await Deno.writeTextFile(bad, "not audio");
    const args = ["--whisper-cli", (await whisperCli()).path, "--whisper-model", await testModel()];
    const r = await runCli(["--json", "transcribe", good, bad, ...args]);
    assert.equal(r.code, 3, r.stderr);
    const types = r.events.map((e) => e.type);
    assert.equal(types[0], "start");
    assert.equal(r.events.filter((e) => e.type === "item_start").length, 2);
    const done = r.events.find((e) => e.type === "item_done");
    assert.ok(done && done.type === "item_done" && done.item === good && done.path === join(dir, "note.srt"));
    assert.ok(r.events.some((e) => e.type === "warning" && e.item === bad));
    assert.ok(r.events.some((e) => e.type === "item_failed" && e.item === bad));
    const result = r.events.find((e) => e.type === "result");
    assert.ok(result?.type === "result");
    const data = result.data as {
      done: number;
      failed: number;
      files: Array<{ transcript?: { text: string } }>;
    };
    assert.deepEqual([data.done, data.failed, data.files[0].transcript?.text], [1, 1, "hello world"]);
    assert.match(await Deno.readTextFile(join(dir, "note.vtt")), /^WEBVTT\n/);
    const left = [];
    for await (const e of Deno.readDir(dir)) left.push(e.name);
    assert.deepEqual(left.sort(), ["broken.ogg", "note.ogg", "note.srt", "note.vtt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tgpipe transcribe: no files, a bad --format, or a missing model is exit 2", async () => {
  assert.equal((await runCli(["transcribe"])).code, 2);
  assert.equal((await runCli(["transcribe", "a.ogg", "--format", "docx"])).code, 2);
  const r = await runCli(["transcribe", "a.ogg", "--whisper-model", "/nonexistent/model.bin"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Whisper model not found/);
});
