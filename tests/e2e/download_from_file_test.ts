/**
 * Export -> download: `dl --from-file` takes tgpipe's own messages.jsonl and tdl's export JSON,
 * with --include/--exclude by extension and --desc (newest first); a bad file is exit 2 with one
 * line naming the file and the line.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import type { World } from "../fakedc/world/types.ts";
import { runCli } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=60,files=8,file_size=40KB,forum=0,comments=0,left=0";
const T = { timeoutMs: 150_000 };

interface Media {
  msg: number;
  date: number;
  ext: string;
}

const EXT: Record<string, string> = {
  "video/mp4": "mp4",
  "audio/ogg": "ogg",
  "audio/mpeg": "mp3",
  "image/webp": "webp",
  "application/pdf": "pdf",
};

function _channel(world: World) {
  return [...world.chats.values()].find((c) => c.username === "gen_channel_0")!;
}

function _media(world: World): Media[] {
  return _channel(world).messages.flatMap((m) => {
    const md = m.media;
    if (md?.kind === "photo") return [{ msg: m.id, date: m.date, ext: "jpg" }];
    if (md?.kind !== "document") return [];
    const name = md.doc.attrs.fileName;
    const ext = name?.includes(".") ? name.slice(name.lastIndexOf(".") + 1) : EXT[md.doc.mimeType];
    return [{ msg: m.id, date: m.date, ext }];
  });
}

/** Message ids of the files a --json run started, in the order it started them. */
function _started(events: ReadonlyArray<{ type: string; item?: string }>): number[] {
  return events.filter((e) => e.type === "item_start").map((e) => Number(e.item!.split("/").at(-1)));
}

Deno.test({
  name: "dl --from-file: messages.jsonl and tdl JSON with --include/--exclude and --desc; bad files exit 2",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dlff_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const chat = _channel(tg.world);
    const media = _media(tg.world);
    const exts = [...new Set(media.map((m) => m.ext))];
    assert.ok(exts.includes("jpg") && exts.includes("mp4"), `the world has photos and videos: ${exts}`);
    try {
      const jsonl = `${dir}/v/chats/${chat.id}/messages.jsonl`;
      await t.step("export the chat (no media) to get its messages.jsonl", async () => {
        const r = await runCli(["export", "@gen_channel_0", "--media", "none", "--out", `${dir}/v`], {
          env,
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
      });

      await t.step("messages.jsonl --include mp4,JPG --desc: exactly those files, newest first", async () => {
        const args = [
          "--json",
          "dl",
          "--from-file",
          jsonl,
          "--include",
          "mp4,.JPG",
          "--desc",
          "--concurrency",
          "1",
        ];
        const r = await runCli([...args, "--out", `${dir}/a`], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const want = media.filter((m) => m.ext === "mp4" || m.ext === "jpg")
          .sort((a, b) => b.date - a.date || b.msg - a.msg).map((m) => m.msg);
        assert.ok(want.length >= 2);
        assert.deepEqual(_started(r.events), want);
      });

      await t.step(
        "tdl's export JSON --exclude jpg: every listed file but photos, in file order",
        async () => {
          const listed = media.slice(0, 6);
          const tdl = {
            id: Number(chat.id),
            messages: [
              ...listed.map((m) => ({ id: m.msg, type: "message", file: `x.${m.ext}` })),
              // `tdl chat export --all` lists text messages with an empty file
              { id: chat.messages.find((m) => !m.media)!.id, type: "message", file: "" },
            ],
          };
          await Deno.writeTextFile(`${dir}/tdl.json`, JSON.stringify(tdl, null, 2));
          const args = [
            "--json",
            "dl",
            "--from-file",
            `${dir}/tdl.json`,
            "--exclude",
            "jpg",
            "--concurrency",
            "1",
          ];
          const r = await runCli([...args, "--out", `${dir}/b`], { env, ...T });
          assert.equal(r.code, 0, r.stderr);
          assert.deepEqual(_started(r.events), listed.filter((m) => m.ext !== "jpg").map((m) => m.msg));
        },
      );

      await t.step(
        "a broken line: exit 2, one line naming the file and line with a short excerpt",
        async () => {
          const lines = (await Deno.readTextFile(jsonl)).split("\n").filter(Boolean).slice(0, 4);
          lines[2] = lines[2].slice(0, -1) + "x".repeat(300);
          await Deno.writeTextFile(`${dir}/bad.jsonl`, lines.join("\n"));
          const r = await runCli(["dl", "--from-file", `${dir}/bad.jsonl`, "--out", `${dir}/c`], {
            env,
            ...T,
          });
          assert.equal(r.code, 2, r.stderr);
          assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
          assert.match(r.stderr, new RegExp(`^error: Bad --from-file ${dir}/bad\\.jsonl line 3: .*…\\n$`));
          assert.ok(r.stderr.length < 250, r.stderr);
        },
      );

      await t.step("a JSON line in a list of links is named once, by its line", async () => {
        const line = `{"id": 5, "text": "MARK ${"y".repeat(200)}"}`;
        await Deno.writeTextFile(`${dir}/links.txt`, `https://t.me/gen_channel_0/1\n# note\n${line}\n`);
        const r = await runCli(["dl", "--from-file", `${dir}/links.txt`, "--out", `${dir}/c`], { env, ...T });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.match(r.stderr, /line 3: /);
        assert.equal(r.stderr.split("MARK").length - 1, 1, `the excerpt appears once: ${r.stderr}`);
        assert.ok(!r.stderr.includes("y".repeat(100)), r.stderr);
      });

      await t.step("photos get the same names from download (default template) as in an export", async () => {
        const ex = await runCli(["export", "@gen_channel_0", "--media", "photo", "--out", `${dir}/w`], {
          env,
          ...T,
        });
        assert.equal(ex.code, 0, ex.stderr);
        const dl = await runCli(["dl", "@gen_channel_0", "--type", "photo", "--out", `${dir}/d`], {
          env,
          ...T,
        });
        assert.equal(dl.code, 0, dl.stderr);
        const names = async (d: string) => (await Array.fromAsync(Deno.readDir(d))).map((e) => e.name).sort();
        const exported = await names(`${dir}/w/chats/${chat.id}/media`);
        assert.ok(exported.length > 0 && exported.every((n) => /^\d+-photo\.jpg$/.test(n)), exported.join());
        assert.deepEqual(await names(`${dir}/d/${chat.title}`), exported);
      });
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
