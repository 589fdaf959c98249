import assert from "node:assert/strict";
import { join } from "node:path";
import { createMediaPool } from "../../../lib/app/shared/media_pool.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { itemOf, makeImage, makeVideo, realTools } from "../../media/media_fixtures.ts";

Deno.test("media workers run probe -> thumbnail chains; a corrupt item only gets a warning", async () => {
  const dir = await Deno.makeTempDir();
  const pool = createMediaPool({ size: 2 });
  try {
    const tools = await realTools();
    const clip = await itemOf(await makeVideo(dir, 1, "320x240"), "video");
    const photo = await itemOf(await makeImage(dir, "640x480"), "photo");
    const badPath = join(dir, "bad.mp4");
    await Deno.writeTextFile(badPath, "garbage");
    const bad = await itemOf(badPath, "video");
    const events: EventBody[] = [];
    const task = (item: typeof clip) =>
      pool.run(
        // Given out of order on purpose: the chain runs them by stage.
        {
          item,
          processors: ["thumbnail", "probe"],
          tools,
          cacheDir: dir,
          options: { image: { thumbSize: 64 } },
        },
        { onEvent: (e) => events.push(e) },
      );
    const [rc, rp, rb] = await Promise.all([task(clip), task(photo), task(bad)]);
    assert.deepEqual(rc.results.map((r) => [r.processor, r.status]), [["probe", "ok"], ["thumbnail", "ok"]]);
    assert.equal(rc.results[0].metadata.width, 320);
    assert.equal(rc.results[1].files[0].path, join(dir, "clip.thumb.webp"));
    assert.equal(rp.results[1].metadata.engine, "sharp", "sharp loads inside a worker");
    assert.deepEqual(rb.results.map((r) => r.status), ["failed", "failed"]);
    assert.equal(events.filter((e) => e.type === "warning").length, 2);
    assert.ok(events.every((e) => e.type !== "warning" || e.item === badPath));
  } finally {
    await pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});
