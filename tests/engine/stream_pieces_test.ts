import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { streamPieces } from "../../lib/engine/stream_pieces.ts";
import { parseManifest } from "../../lib/engine/split_manifest.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";

const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

// a stream read once, in chunks of `chunk` bytes (they straddle the piece boundaries)
function _stream(bytes: Uint8Array, chunk: number, size: number | undefined): UploadSource {
  let opened = false;
  return {
    name: "s.bin",
    size,
    origin: "stdin",
    seekable: false,
    async *open() {
      assert.equal(opened, false, "opened once");
      opened = true;
      for (let at = 0; at < bytes.length; at += chunk) yield bytes.slice(at, at + chunk);
    },
  };
}

async function _all(src: UploadSource): Promise<Uint8Array> {
  const out: number[] = [];
  for await (const c of src.open(0, new AbortController().signal)) out.push(...c);
  return Uint8Array.from(out);
}

Deno.test("streamPieces: pieces cut as the bytes come, hashed, the manifest at the end", async () => {
  const bytes = crypto.getRandomValues(new Uint8Array(2500));
  for (const size of [2500, undefined]) {
    const s = streamPieces(_stream(bytes, 300, size), {
      pieceSize: 1000,
      signal: new AbortController().signal,
    });
    const got: Array<[string, number | undefined, Uint8Array]> = [];
    for (let p = await s.next(); p; p = await s.next()) got.push([p.name, p.size, await _all(p)]);
    assert.deepEqual(got.map(([n, sz, b]) => [n, sz, b.length]), [
      ["s.bin.001", size && 1000, 1000],
      ["s.bin.002", size && 1000, 1000],
      ["s.bin.003", size && 500, 500],
    ]);
    const m = parseManifest(new TextDecoder().decode(await _all(s.manifestSource())));
    assert.equal(m.size, 2500);
    assert.equal(m.sha256, hex(bytes));
    assert.deepEqual(
      m.pieces.map((p) => [p.offset, p.size, p.sha256]),
      got.map(([, , b], i) => [i * 1000, b.length, hex(b)]),
    );
    await s.close();
  }
});

Deno.test("streamPieces: a stream ending on a piece boundary has no empty last piece; empty is refused", async () => {
  const s = streamPieces(_stream(new Uint8Array(2000), 700, undefined), {
    pieceSize: 1000,
    signal: new AbortController().signal,
  });
  let n = 0;
  for (let p = await s.next(); p; p = await s.next()) {
    assert.equal((await _all(p)).length, 1000, `piece ${++n}`);
  }
  assert.equal(n, 2);
  const empty = streamPieces(_stream(new Uint8Array(0), 10, undefined), {
    pieceSize: 1000,
    signal: new AbortController().signal,
  });
  await assert.rejects(empty.next(), { code: "EMPTY_FILE" });
});

Deno.test("streamPieces: a piece is read once; the next one only after it; a length that lied is caught", async () => {
  const s = streamPieces(_stream(new Uint8Array(1500), 500, 1600), {
    pieceSize: 1000,
    signal: new AbortController().signal,
  });
  const p = (await s.next())!;
  await assert.rejects(s.next(), RangeError, "the first piece was not read");
  await _all(p);
  await assert.rejects(_all(p), { code: "SOURCE_NOT_RESUMABLE" });
  const q = (await s.next())!;
  assert.equal(q.size, 600);
  await _all(q);
  assert.equal(await s.next(), undefined);
  assert.throws(() => s.manifestSource(), { code: "SOURCE" });
});
