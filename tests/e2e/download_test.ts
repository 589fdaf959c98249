/**
 * `tgpipe download` end to end: the real CLI against the fake DC (real MTProto, DC 4 as the file
 * DC so every document goes through export/importAuthorization).
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import type { World } from "../fakedc/world/types.ts";
import { runCli } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=40,files=6,file_size=3MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 150_000 };

async function _expectSame(world: World, path: string, docId: bigint): Promise<void> {
  const file = world.files.get(docId)!;
  const blob = file.kind === "document" ? file.blob : file.sizes.at(-1)!.blob;
  const want = await readBlob(blob, 0, blob.size);
  const got = await Deno.readFile(path);
  assert.equal(got.length, want.length, path);
  assert.ok(got.every((b, i) => b === want[i]), `${path} differs`);
}

function _mediaIds(world: World): Array<{ msg: number; file: bigint }> {
  const chat = [...world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  return chat.messages.flatMap((m) => {
    const md = m.media;
    if (md?.kind === "document") return [{ msg: m.id, file: md.doc.id }];
    if (md?.kind === "photo") return [{ msg: m.id, file: md.photo.id }];
    return [];
  });
}

Deno.test({
  name: "download: links, range, chat with filters, template, skip-same (by id, by size+hash), bad input",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dl_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const media = _mediaIds(tg.world);
    try {
      await t.step("one link and a range, named by template, verified", async () => {
        const [a, b] = media;
        const r = await runCli([
          "--json",
          "download",
          `https://t.me/gen_channel_0/${a.msg}`,
          `https://t.me/gen_channel_0/${b.msg}-${b.msg + 1}`,
          "--template",
          "{chat}/{date:YYYY}/{id}_{filename}",
          "--out",
          `${dir}/a`,
        ], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        const done = r.events.filter((e) => e.type === "item_done");
        assert.equal(done.length, 2);
        for (const e of done) {
          assert.ok(e.type === "item_done" && e.path?.startsWith(`${dir}/a/channel 0/`), JSON.stringify(e));
          const m = media.find((x) => e.type === "item_done" && e.item.endsWith(`/${x.msg}`))!;
          await _expectSame(tg.world, e.type === "item_done" ? e.path! : "", m.file);
        }
      });
      await t.step("a whole chat with --type and --limit; then --skip-same fetches nothing", async () => {
        const args = ["--json", "download", "@gen_channel_0", "--type", "video,voice,photo", "--limit", "3"];
        const r = await runCli([...args, "--out", `${dir}/b`], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.events.filter((e) => e.type === "item_done").length, 3);
        const before = tg.stats.rpcs;
        const again = await runCli([
          ...args,
          "--skip-same",
          "--template",
          "{id}-{filename}",
          "--out",
          `${dir}/b`,
        ], {
          env,
          ...T,
        });
        assert.equal(again.code, 0, again.stderr);
        const skipped = again.events.filter((e) => e.type === "item_done" && e.skipped);
        assert.equal(skipped.length, 3);
        // what is reported skipped is there, under the new template's name, intact
        for (const e of skipped) {
          const path = e.type === "item_done" ? e.path! : "";
          assert.match(path, /\/\d+-[^/]+$/, path);
          const m = media.find((x) => e.type === "item_done" && e.item.endsWith(`/${x.msg}`))!;
          await _expectSame(tg.world, path, m.file);
        }
        // listing costs a few calls; no getFile per file
        assert.ok(tg.stats.rpcs - before < 12, `rpcs ${tg.stats.rpcs - before}`);
      });
      await t.step(
        "a same-size file not known by id: skipped when its hashes match, else replaced",
        async () => {
          const [, , m] = media;
          const file = tg.world.files.get(m.file)!;
          const blob = file.kind === "document" ? file.blob : file.sizes.at(-1)!.blob;
          const bytes = await readBlob(blob, 0, blob.size);
          const out = `${dir}/h`;
          await Deno.mkdir(out, { recursive: true });
          const dest = `${out}/${m.msg}.bin`;
          // a fresh --kv each run: nothing is known by document id, only the file on disk
          const run = (kv: string) =>
            runCli([
              "--json",
              "download",
              `https://t.me/gen_channel_0/${m.msg}`,
              "--skip-same",
              "--template",
              "{id}.bin",
              "--kv",
              `${dir}/${kv}`,
              "--out",
              out,
            ], { env, ...T });
          await Deno.writeFile(dest, bytes);
          let calls = tg.stats.getFileCalls;
          const same = await run("h1.kv");
          assert.equal(same.code, 0, same.stderr);
          const done = same.events.find((e) => e.type === "item_done");
          assert.ok(done?.type === "item_done" && done.skipped === true, JSON.stringify(done));
          const end = same.events.find((e) => e.type === "done");
          assert.ok(
            end?.type === "done" && end.items_done === 0 && end.items_skipped === 1,
            JSON.stringify(end),
          );
          assert.equal(tg.stats.getFileCalls, calls, "no getFile for a file with matching hashes");

          const other = bytes.slice();
          other[Math.floor(other.length / 2)] ^= 0xff;
          await Deno.writeFile(dest, other);
          calls = tg.stats.getFileCalls;
          const bytesBefore = tg.stats.getFileBytes;
          const diff = await run("h2.kv");
          assert.equal(diff.code, 0, diff.stderr);
          const d = diff.events.find((e) => e.type === "item_done");
          assert.ok(d?.type === "item_done" && !d.skipped && d.path === dest, JSON.stringify(d));
          assert.ok(tg.stats.getFileCalls > calls, "downloaded again");
          assert.equal(tg.stats.getFileBytes - bytesBefore, bytes.length);
          await _expectSame(tg.world, dest, m.file);
          await assert.rejects(Deno.stat(`${dest}.part`));
        },
      );
      await t.step("bad input exits 2; a message without media exits 3 with item_failed", async () => {
        const foreign = await runCli(["download", "https://example.com/x/1", "--out", `${dir}/c`], {
          env,
          ...T,
        });
        assert.equal(foreign.code, 2);
        assert.match(foreign.stderr, /Bad input/);
        const unknown = await runCli(["download", "https://t.me/no_such_chat_x/1", "--out", `${dir}/c`], {
          env,
          ...T,
        });
        assert.equal(unknown.code, 2, unknown.stderr);
        const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
        const plain = chat.messages.find((m) => !m.media && !m.action)!;
        const r = await runCli([
          "--json",
          "download",
          `https://t.me/gen_channel_0/${plain.id}`,
          "--out",
          `${dir}/c`,
        ], {
          env,
          ...T,
        });
        assert.equal(r.code, 3);
        const failed = r.events.find((e) => e.type === "item_failed");
        assert.ok(failed && failed.type === "item_failed" && failed.error.code === "NO_MEDIA");
      });
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
