/** Export's progress says something: messages against the chat's count, media bytes, done.bytes. */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test({
  name:
    "export --json: item_progress counts the chat's messages against its count; done.bytes holds the media",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=1200,files=6,file_size=64KB,forum=0,comments=0,left=0",
      basePort: 0,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_progress_" });
    try {
      const r = await runCli(["--json", "export", "@gen_channel_0", "--out", `${dir}/o`, "--shards", "2"], {
        env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` },
        timeoutMs: 120_000,
      });
      assert.equal(r.code, 0, r.stderr);
      const start = r.events.find((e) => e.type === "item_start")!;
      const progress = r.events.filter((e) => e.type === "item_progress");
      assert.ok(progress.length >= 2, `${progress.length} progress events`);
      for (const p of progress) {
        assert.equal(p.type === "item_progress" && p.item, start.type === "item_start" && start.item);
      }
      const counts = progress.map((p) => p.type === "item_progress" ? p.done_count! : -1);
      assert.deepEqual(counts, [...counts].sort((a, b) => a - b), "messages only go up");
      const last = progress.at(-1)!;
      const result = r.events.find((e) => e.type === "result")!;
      type Chat = { messages: number; media_bytes: number };
      const chat = (result as unknown as { data: { chats: Chat[] } }).data.chats[0];
      assert.equal(last.type === "item_progress" && last.done_count, chat.messages);
      assert.equal(last.type === "item_progress" && last.total_count, chat.messages, "the chat's count");
      assert.equal(last.type === "item_progress" && last.unit, "messages");
      assert.ok(chat.media_bytes > 0);
      const done = r.events.at(-1)!;
      assert.equal(done.type === "done" && done.bytes, chat.media_bytes);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
