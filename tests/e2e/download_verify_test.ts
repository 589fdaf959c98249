/**
 * Hash verification end to end: the fake DC serves a file whose every getFile answer has one
 * byte flipped (same size, so only upload.getFileHashes can tell). That file must fail
 * verification (exit 3, `item_failed` VERIFY_FAILED) and never be renamed into place, no `.part`
 * left (docs/download.md); the others complete. Once the DC serves the true bytes, the next run
 * fetches it again from scratch and it matches the original's SHA-256.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import type { WChat, WDocument } from "../fakedc/world/types.ts";
import { runCli } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=20,files=4,file_size=3MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 120_000 };

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The channel's documents by message id, with their true bytes. */
async function _documents(
  tg: FakeTelegram,
): Promise<Array<{ id: number; doc: WDocument; bytes: Uint8Array }>> {
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0") as WChat;
  const out = [];
  for (const m of chat.messages) {
    if (m.media?.kind !== "document") continue;
    out.push({
      id: m.id,
      doc: m.media.doc,
      bytes: await readBlob(m.media.doc.blob, 0, m.media.doc.blob.size),
    });
  }
  return out;
}

for (const workers of ["0", "1"]) {
  Deno.test({
    name: `download --workers ${workers}: a corrupted file fails verification, is never put in place, ` +
      "and is fetched again in full by the next run",
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
      const dir = await Deno.makeTempDir({ prefix: "tgpipe_dlv_" });
      try {
        const docs = await _documents(tg);
        assert.ok(docs.length >= 2 && docs[0].bytes.length > 1 << 20, "a multi-part document and another");
        const bad = docs[0];
        tg.faults.corruptFiles.push(bad.doc.id.toString());
        const out = `${dir}/o`;
        const args = [
          "--json",
          "dl",
          "https://t.me/gen_channel_0",
          "--template",
          "{id}",
          "--out",
          out,
          "--workers",
          workers,
        ];
        const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
        const first = await runCli(args, { env, ...T });
        assert.equal(first.code, 3, `exit ${first.code}\n${first.stderr}${first.stdout.slice(-1500)}`);
        const failed = first.events.flatMap((e) => e.type === "item_failed" ? [e] : []);
        assert.equal(failed.length, 1, JSON.stringify(failed));
        assert.equal(failed[0].error.code, "VERIFY_FAILED");
        assert.match(failed[0].error.message, /sha256 mismatch/);
        const names = [...Deno.readDirSync(out)].map((e) => e.name);
        assert.ok(!names.includes(String(bad.id)), "the corrupt file is not in place");
        assert.deepEqual(names.filter((n) => !/^\d+$/.test(n)), [], "no .part or other file left");
        for (const d of docs.slice(1)) {
          assert.equal(sha256(await Deno.readFile(`${out}/${d.id}`)), sha256(d.bytes));
        }

        // the DC serves the true bytes again: the next run downloads the file afresh and verifies it
        tg.faults.corruptFiles.length = 0;
        const second = await runCli(args, { env, ...T });
        assert.equal(second.code, 0, `exit ${second.code}\n${second.stderr}${second.stdout.slice(-1500)}`);
        assert.equal(sha256(await Deno.readFile(`${out}/${bad.id}`)), sha256(bad.bytes));
        const done = second.events.flatMap((e) => e.type === "item_done" && !e.skipped ? [e] : []);
        assert.equal(done.length, 1, "only the failed file is fetched again");
        assert.equal(done[0].bytes, bad.bytes.length);
        const result = second.events.find((e) => e.type === "result");
        assert.ok(result?.type === "result");
        assert.equal((result.data as { fetched_bytes: number }).fetched_bytes, bad.bytes.length, "in full");
        assert.ok(![...Deno.readDirSync(out)].some((e) => e.name.endsWith(".part")));
      } finally {
        await tg.close();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
