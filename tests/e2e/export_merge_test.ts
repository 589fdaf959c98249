/**
 * A narrower export into an output that holds more (one forum topic into the whole forum's vault,
 * a message link, a fresh progress store) adds to what is there and never shrinks it.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

const T = { timeoutMs: 120_000 };
const FORUM = 1750000000;

Deno.test({
  name: "export: one topic or one message into a whole forum's output keeps every other message and topic",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({
      world: "gen:chats=1,messages=150,files=0,forum=1,topics=3,comments=0,left=0",
      basePort: 0,
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_merge_" });
    const out = `${dir}/vault`;
    const forum = tg.world.chats.get(`channel:${FORUM}`)!;
    const topic = forum.topics![1];
    const jsonl = () => Deno.readTextFile(`${out}/chats/${FORUM}/messages.jsonl`);
    const ids = async () => (await jsonl()).trim().split("\n").map((l) => JSON.parse(l).id as number);
    const run = async (args: string[], kv: string) => {
      const r = await runCli(["--json", "export", ...args, "--out", out], {
        env: { ...tg.env, TGPIPE_KV: `${dir}/${kv}.kv` },
        ...T,
      });
      assert.equal(r.code, 0, r.stderr);
      return r;
    };
    try {
      await run(["@gen_forum_0", "--topics"], "a");
      const whole = await jsonl();
      const all = await ids();
      assert.ok(all.length > 100, `${all.length} messages`);
      const index = await Deno.readTextFile(`${out}/chats/${FORUM}/index.md`);
      for (const t of forum.topics!) assert.ok(index.includes(`(topic ${t.id})`), index);

      // one topic, same progress store and a fresh one: the file stays whole, byte for byte
      for (const kv of ["a", "b"]) {
        await run([`https://t.me/c/${FORUM}/${topic.id}`], kv);
        assert.deepEqual(await ids(), all, `topic run with store ${kv}`);
        assert.equal(await jsonl(), whole);
        const after = await Deno.readTextFile(`${out}/chats/${FORUM}/index.md`);
        for (const t of forum.topics!) assert.ok(after.includes(`(topic ${t.id})`), after);
      }
      // one message with a fresh store
      await run([`https://t.me/c/${FORUM}/${all[40]}`], "c");
      assert.deepEqual(await ids(), all);

      // an edit seen by the topic run is kept; the whole-forum store's next run still adds only
      // what is new and loses nothing (its checkpoint no longer matches the file: it starts over)
      const inTopic = forum.messages.find((m) =>
        m.id > topic.id && !m.action && (m.reply?.topId ?? m.reply?.msgId) === topic.id &&
        m.reply?.forumTopic && m.text.length > 0
      );
      assert.ok(inTopic, "a text message in the topic");
      inTopic.text = "edited in the topic";
      await run([`https://t.me/c/${FORUM}/${topic.id}`, "--refresh"], "b");
      assert.match(await jsonl(), /edited in the topic/);
      await run(["@gen_forum_0", "--topics"], "a");
      assert.deepEqual(await ids(), all);
      assert.match(await jsonl(), /edited in the topic/);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
