/**
 * `tgpipe download` of a generic split (`upload --split`): the pieces and the manifest posted in a
 * channel of the fake DC are downloaded, the original put back and checked against the manifest's
 * sha256, the pieces removed; a split with a damaged piece fails that item and keeps its pieces;
 * a rerun skips a split already put back.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { WorldBuilder } from "../fakedc/world/builder.ts";
import type { WChat } from "../fakedc/world/types.ts";
import { splitFile } from "../../lib/engine/split_file.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { randomBytes } from "../engine/_source_helpers.ts";

const T = { timeoutMs: 150_000 };
const SIG = new AbortController().signal;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function _bytes(src: UploadSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(0, SIG)) parts.push(c);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

/** Splits `bytes` as `upload --split` would and posts the pieces, then the manifest, into `chat`. */
async function _post(
  b: WorldBuilder,
  chat: WChat,
  dir: string,
  o: { name: string; bytes: Uint8Array; limit: number; damage?: number },
): Promise<void> {
  await Deno.writeFile(`${dir}/${o.name}`, o.bytes);
  const split = await splitFile(`${dir}/${o.name}`, { limitBytes: o.limit });
  for (const [i, src] of [...split.pieces, split.manifestSource].entries()) {
    const bytes = await _bytes(src);
    // a piece that changed on its way: same size, one bit off
    if (i === o.damage) bytes[10] ^= 1;
    const path = `${dir}/posted_${src.name}`;
    await Deno.writeFile(path, bytes);
    const doc = b.document(
      1700000000,
      src.mime ?? "application/octet-stream",
      b.blob(bytes.length, { kind: "disk", path }),
      {
        fileName: src.name,
      },
    );
    const id = chat.messages.length + 1;
    chat.messages.push({
      id,
      date: 1700000000 + id,
      text: "",
      entities: [],
      media: { kind: "document", doc },
      post: true,
    });
  }
}

function _list(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test({
  name: "download: split files put back and verified; a damaged piece fails its split and keeps the pieces",
  fn: async (t) => {
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dlsplit_" });
    const b = new WorldBuilder(11);
    const chat = b.chat("channel", 7001n, "Splits", { username: "splits_chan" });
    const good = randomBytes(2_600_000);
    await _post(b, chat, dir, { name: "backup.tar", bytes: good, limit: 1_000_000 });
    await _post(b, chat, dir, { name: "bad.bin", bytes: randomBytes(900_000), limit: 400_000, damage: 1 });
    const tg = await startFakeTelegram({ world: b.finish(), basePort: 0 });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const out = `${dir}/out`;
    try {
      await t.step("the good split is put back, the damaged one fails with its reason", async () => {
        const r = await runCli(["--json", "download", "@splits_chan", "--out", out], { env, ...T });
        assert.equal(r.code, 3, r.stderr);
        const failed = r.events.filter((e) => e.type === "item_failed");
        assert.equal(failed.length, 1, JSON.stringify(failed));
        assert.match(
          failed[0].type === "item_failed" ? failed[0].error.message : "",
          /^Piece bad\.bin\.002 of bad\.bin is not the one its manifest names \(sha256 differs\); the pieces were kept$/,
        );
        const logs = r.events.filter((e) =>
          e.type === "log" && /Put backup\.tar back together/.test(e.message)
        );
        assert.equal(logs.length, 1);
        const files = _list(`${out}/Splits`);
        // backup.tar: only the original (template {id}-{filename}: the manifest's message id); bad.bin: all kept
        assert.deepEqual(files, [
          "4-backup.tar",
          "5-bad.bin.001",
          "6-bad.bin.002",
          "7-bad.bin.003",
          "8-bad.bin.tgsplit.json",
        ]);
        assert.equal(sha(await Deno.readFile(`${out}/Splits/4-backup.tar`)), sha(good));
      });
      await t.step("a rerun skips the split already put back, and fails the damaged one again", async () => {
        const r = await runCli(["--json", "download", "@splits_chan", "--out", out], { env, ...T });
        assert.equal(r.code, 3, r.stderr);
        const skipped = r.events.filter((e) =>
          e.type === "item_done" && e.skipped && e.path?.endsWith("4-backup.tar")
        );
        assert.equal(skipped.length, 4, JSON.stringify(r.events.filter((e) => e.type === "item_done")));
        assert.equal(r.events.filter((e) => e.type === "item_failed").length, 1);
        assert.equal(sha(await Deno.readFile(`${out}/Splits/4-backup.tar`)), sha(good));
        assert.equal(_list(`${out}/Splits`).length, 5);
      });
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
