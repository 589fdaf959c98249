import assert from "node:assert/strict";
import { join } from "node:path";
import { openMediaPost, wantsMediaPost } from "../../../lib/app/shared/media_post.ts";
import { UsageError } from "../../../lib/core/errors.ts";
import type { Message } from "../../../lib/core/message.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { SAMPLE_VOICE } from "../../media/media_fixtures.ts";

function _msg(id: number): Message {
  return {
    id,
    chat_id: 5,
    date: 0,
    text: "",
    entities: [],
    media: { kind: "voice", mime_type: "audio/ogg" },
  };
}

Deno.test("MediaPost: probe fields into msg.media, dedup links the copy, a corrupt file is a warning", async () => {
  const out = await Deno.makeTempDir();
  const events: EventBody[] = [];
  const post = await openMediaPost({
    out,
    dedup: true,
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: join(out, ".cache"),
    workers: 1,
    emit: (e) => events.push(e),
  });
  try {
    await Deno.mkdir(join(out, "m"));
    await Deno.copyFile(SAMPLE_VOICE, join(out, "m/1.ogg"));
    await Deno.copyFile(SAMPLE_VOICE, join(out, "m/2.ogg"));
    await Deno.writeTextFile(join(out, "m/3.ogg"), "not audio at all");
    const [a, b, c] = [_msg(1), _msg(2), _msg(3)];
    assert.equal(await post.process(a, "m/1.ogg"), "m/1.ogg");
    assert.equal(a.media!.probe!.codec, "opus");
    assert.ok(a.media!.probe!.duration! > 2);
    assert.equal(await post.process(b, "m/2.ogg"), "m/1.ogg", "duplicate links to the stored copy");
    assert.equal(b.media!.sha256, a.media!.sha256);
    assert.equal(await post.process(c, "m/3.ogg"), "m/3.ogg");
    assert.equal(c.media!.probe, undefined);
    assert.ok(events.some((e) => e.type === "warning" && e.item === "media:5:3"), JSON.stringify(events));
    assert.deepEqual(post.stats.duplicates, 1);
    // ffprobe is only run: its version is not asked for (an ffprobe start-up saved)
    assert.ok(post.tools.ffprobe && post.tools.ffprobe.version === undefined);
  } finally {
    await post.close();
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("MediaPost: --transcribe without a model is a usage error; no flag means no post-processing", async () => {
  await assert.rejects(
    openMediaPost({ out: ".", transcribe: {}, searchPath: "", cacheDir: ".", emit: () => {} }),
    UsageError,
  );
  assert.equal(wantsMediaPost({}), false);
  assert.equal(wantsMediaPost({ thumbnails: true }), true);
});

Deno.test("MediaPost: media workers that cannot start: the tasks run here after one warning", async () => {
  const out = await Deno.makeTempDir();
  const events: EventBody[] = [];
  const post = await openMediaPost({
    out,
    thumbnails: true, // more than the probe: the chain goes to a worker
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: join(out, ".cache"),
    workers: 2,
    workerUrl: new URL("../../engine/fixtures/broken_worker.ts", import.meta.url),
    emit: (e) => events.push(e),
  });
  try {
    await Deno.mkdir(join(out, "m"));
    const msgs = [_msg(1), _msg(2), _msg(3)];
    for (const m of msgs) await Deno.copyFile(SAMPLE_VOICE, join(out, `m/${m.id}.ogg`));
    await Promise.all(msgs.map((m) => post.process(m, `m/${m.id}.ogg`)));
    for (const m of msgs) assert.equal(m.media!.probe!.codec, "opus", `message ${m.id} was probed`);
    const warnings = events.filter((e) => e.type === "warning");
    assert.deepEqual(warnings.map((w) => w.type === "warning" && w.code), ["MEDIA_WORKERS_UNAVAILABLE"]);
    assert.equal(post.stats.processed, 3);
  } finally {
    await post.close();
    await Deno.remove(out, { recursive: true });
  }
});
