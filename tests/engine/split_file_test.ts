/** Generic split and reassembly: pieces read in place, the manifest's hashes, the original back. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { splitFile } from "../../lib/engine/split_file.ts";
import { reassemble, SplitMismatchError } from "../../lib/engine/reassemble.ts";
import { parseManifest, pieceName } from "../../lib/engine/split_manifest.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";
import { randomBytes } from "./_source_helpers.ts";

const SIG = new AbortController().signal;
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function _all(src: UploadSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(0, SIG)) parts.push(c);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

/** Splits `bytes` with `limit`, writes the pieces out as a download would, returns both. */
async function _splitOut(dir: string, bytes: Uint8Array, limit: number) {
  const path = `${dir}/data.bin`;
  await Deno.writeFile(path, bytes);
  const split = await splitFile(path, { limitBytes: limit });
  await Deno.mkdir(`${dir}/dl`, { recursive: true });
  const pieces = new Map<string, string>();
  for (const p of split.pieces) {
    const got = await _all(p);
    await Deno.writeFile(`${dir}/dl/${p.name}`, got);
    pieces.set(p.name, `${dir}/dl/${p.name}`);
  }
  return {
    split,
    pieces,
    manifest: parseManifest(new TextDecoder().decode(await _all(split.manifestSource))),
  };
}

Deno.test("split file: even pieces under the limit, hashes of each and of the whole, read in place", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_split_" });
  try {
    const bytes = randomBytes(2_500_000);
    const { split, manifest } = await _splitOut(dir, bytes, 1_000_000);
    assert.deepEqual(manifest, split.manifest);
    assert.equal(split.manifestSource.name, "data.bin.tgsplit.json");
    assert.deepEqual(manifest.pieces.map((p) => p.name), ["data.bin.001", "data.bin.002", "data.bin.003"]);
    assert.deepEqual([manifest.size, manifest.sha256, manifest.version], [bytes.length, sha(bytes), 1]);
    for (const [i, p] of manifest.pieces.entries()) {
      assert.ok(p.size <= 1_000_000);
      assert.equal(p.sha256, sha(bytes.subarray(p.offset, p.offset + p.size)));
      assert.equal(split.pieces[i].size, p.size);
      assert.equal(split.pieces[i].origin, `${dir}/data.bin`);
    }
    // 512 KB-aligned pieces when the limit allows it
    const big = await splitFile(`${dir}/data.bin`, { limitBytes: 2_000_000 });
    assert.deepEqual(big.manifest.pieces.map((p) => p.size), [1_572_864, 927_136]);
    assert.equal(pieceName("x", 5, 1200), "x.0006");
    await assert.rejects(splitFile(`${dir}/data.bin`, { limitBytes: 0 }), RangeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reassemble: the original back (atomically), pieces removed only after the hashes match", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_join_" });
  try {
    const bytes = randomBytes(1_300_000);
    const { manifest, pieces } = await _splitOut(dir, bytes, 500_000);
    const r = await reassemble(manifest, pieces, `${dir}/dl/data.bin`);
    assert.deepEqual([r.bytes, r.sha256], [bytes.length, sha(bytes)]);
    assert.deepEqual(await Deno.readFile(`${dir}/dl/data.bin`), bytes);
    assert.deepEqual([...Deno.readDirSync(`${dir}/dl`)].map((e) => e.name), ["data.bin"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reassemble: a changed, short or missing piece is a clear error; pieces stay, no .part left", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_join_bad_" });
  try {
    const bytes = randomBytes(1_300_000);
    const { manifest, pieces } = await _splitOut(dir, bytes, 500_000);
    const second = pieces.get("data.bin.002")!;
    const good = await Deno.readFile(second);
    const flipped = good.slice();
    flipped[1000] ^= 1;
    await Deno.writeFile(second, flipped);
    const e = await reassemble(manifest, pieces, `${dir}/dl/data.bin`).catch((err) => err);
    assert.ok(e instanceof SplitMismatchError);
    assert.match(e.message, /^Piece data\.bin\.002 of data\.bin is not the one its manifest names/);
    const left = () => [...Deno.readDirSync(`${dir}/dl`)].map((x) => x.name).sort();
    assert.deepEqual(left(), ["data.bin.001", "data.bin.002", "data.bin.003"]);
    await Deno.writeFile(second, good.subarray(1));
    await assert.rejects(
      reassemble(manifest, pieces, `${dir}/dl/data.bin`),
      /has 433333 bytes, its manifest says 433334/,
    );
    await Deno.writeFile(second, good);
    // a manifest whose whole hash is wrong (pieces right) still keeps everything
    const wrong = { ...manifest, sha256: "0".repeat(64) };
    await assert.rejects(
      reassemble(wrong, pieces, `${dir}/dl/data.bin`),
      /^SplitMismatchError: The pieces of data\.bin put together do not match its manifest/,
    );
    pieces.delete("data.bin.003");
    await assert.rejects(
      reassemble(manifest, pieces, `${dir}/dl/data.bin`),
      /Piece data\.bin\.003 of data\.bin is missing/,
    );
    assert.deepEqual(left(), ["data.bin.001", "data.bin.002", "data.bin.003"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("split manifest: malformed manifests are refused with the reason", () => {
  const ok = {
    format: "tgpipe-split",
    version: 1,
    name: "a.bin",
    size: 3,
    sha256: "a".repeat(64),
    pieces: [{ name: "a.bin.001", offset: 0, size: 3, sha256: "b".repeat(64) }],
  };
  assert.deepEqual(parseManifest(JSON.stringify(ok)), ok);
  const bad: Array<[unknown, RegExp]> = [
    ["{", /not JSON/],
    [{ ...ok, format: "x" }, /format/],
    [{ ...ok, version: 2 }, /version 2 is not supported/],
    [{ ...ok, name: "../a" }, /file name/],
    [{ ...ok, size: 4 }, /add up to 3 bytes, not 4/],
    [{ ...ok, pieces: [{ ...ok.pieces[0], offset: 1 }] }, /piece 1 is malformed/],
    [{ ...ok, pieces: [] }, /lists no pieces/],
  ];
  for (const [doc, re] of bad) {
    assert.throws(() => parseManifest(typeof doc === "string" ? doc : JSON.stringify(doc)), re);
  }
});
