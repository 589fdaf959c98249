/**
 * `export --comments`: posts and comments are linked both ways in the vault (a post's "💬 N
 * comments" opens the note listing them, each comment says which post it is on and links it),
 * every wikilink resolves, and a narrower run adds to the discussion group instead of replacing it.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=80,files=0,forum=0,comments=1,left=0";
const T = { timeoutMs: 120_000 };

async function _read(path: string): Promise<string> {
  return await Deno.readTextFile(path);
}

/** Every wikilink target of every note under `out` that does not resolve to a file. */
async function _broken(out: string, dir = ""): Promise<string[]> {
  const bad: string[] = [];
  for await (const e of Deno.readDir(`${out}/${dir}`)) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory) bad.push(...await _broken(out, rel));
    if (!e.name.endsWith(".md")) continue;
    for (
      const m of (await _read(`${out}/${rel}`)).matchAll(/!?\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]/g)
    ) {
      const target = m[1];
      const ok = await Deno.stat(`${out}/${target}.md`).then(() => true, () => false) ||
        await Deno.stat(`${out}/${target}`).then(() => true, () => false);
      if (!ok) bad.push(`${rel} -> ${target}`);
    }
  }
  return bad;
}

function _ids(jsonl: string): number[] {
  return jsonl.trim().split("\n").map((l) => JSON.parse(l).id as number);
}

Deno.test({
  name: "export --comments: posts and comments link both ways; a narrower run keeps the other comments",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_comments_" });
    const out = `${dir}/v`;
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const channel = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
    const group = tg.world.chats.get(`channel:${channel.linkedChatId}`) ??
      [...tg.world.chats.values()].find((c) => c.id === channel.linkedChatId)!;
    const posts = channel.messages.filter((p) => {
      const copy = p.comments?.msgId;
      return copy !== undefined && group.messages.some((m) => m.reply?.msgId === copy);
    });
    assert.ok(posts.length >= 3, `the world has posts with comments: ${posts.length}`);
    const groupJsonl = `${out}/chats/${group.id}/messages.jsonl`;
    try {
      await t.step("the whole channel with --comments", async () => {
        const r = await runCli(["export", "@gen_channel_0", "--comments", "--out", out], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
      });

      await t.step(
        "a post links the note of its comments; that note links the post and each comment",
        async () => {
          const post = posts[0];
          const note = await _read(`${out}/chats/${channel.id}/notes/${post.id}.md`);
          const link = `chats/${group.id}/comments/${post.id}`;
          assert.match(note, new RegExp(`💬 \\[\\[${link}\\|\\d+ comments?\\]\\]`), note);
          const list = await _read(`${out}/${link}.md`);
          assert.ok(list.includes(`[[chats/${channel.id}/notes/${post.id}|post ${post.id}]]`), list);
          const comments = (await _read(groupJsonl)).trim().split("\n").map((l) => JSON.parse(l))
            .filter((m) => m.comment_of?.post_id === post.id);
          assert.ok(comments.length > 0);
          for (const c of comments) {
            assert.ok(list.includes(`[[chats/${group.id}/notes/${c.id}|`), `${c.id} listed:\n${list}`);
            const cn = await _read(`${out}/chats/${group.id}/notes/${c.id}.md`);
            assert.ok(
              cn.includes(`💬 Comment on [[chats/${channel.id}/notes/${post.id}|post ${post.id}]]`),
              cn,
            );
          }
        },
      );

      await t.step("every wikilink of the vault resolves", async () => {
        assert.deepEqual(await _broken(out), []);
      });

      await t.step("one post's link with --comments keeps the other posts' comments", async () => {
        const before = _ids(await _read(groupJsonl));
        const one = posts[1];
        const r = await runCli([
          "export",
          `https://t.me/gen_channel_0/${one.id}`,
          "--comments",
          "--out",
          out,
        ], { env: { ...env, TGPIPE_KV: `${dir}/fresh.kv` }, ...T });
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(_ids(await _read(groupJsonl)), before);
        for (const p of posts) {
          assert.ok(
            await Deno.stat(`${out}/chats/${group.id}/comments/${p.id}.md`),
            `comments note of ${p.id}`,
          );
        }
        assert.deepEqual(await _broken(out), []);
      });
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
