/** The stdin source (once, from 0, named) and the file-range source (pieces read in place). */
import assert from "node:assert/strict";
import { stdinSource } from "../../lib/engine/stdin_source.ts";
import { fileRangeSource } from "../../lib/engine/file_range_source.ts";
import { SourceCorruptError, SourceNotResumableError } from "../../lib/engine/source_errors.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";
import { randomBytes } from "./_source_helpers.ts";

const SIG = new AbortController().signal;

async function _all(src: UploadSource, offset = 0, signal = SIG): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(offset, signal)) parts.push(c);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

Deno.test("stdin source: named, size unknown, read once from 0; a resume or second read is refused", async () => {
  const bytes = randomBytes(300_000);
  const src = stdinSource(new Blob([bytes as BlobPart]).stream(), { name: " dump.sql " });
  assert.deepEqual([src.name, src.size, src.seekable, src.origin], ["dump.sql", undefined, false, "stdin"]);
  await assert.rejects(_all(src, 10), SourceNotResumableError);
  assert.deepEqual(await _all(src), bytes);
  const again = await _all(src).catch((err) => err);
  assert.ok(again instanceof SourceNotResumableError);
  assert.deepEqual([again.retryable, again.category], [false, "source"]);
  assert.match(again.message, /^Standard input was read once already/);
  assert.throws(() => stdinSource(new Blob([]).stream(), { name: "" }), RangeError);
  assert.throws(() => stdinSource(new Blob([]).stream(), { name: "a/b" }), RangeError);
});

Deno.test("stdin source: an abort ends a read that waits for input", async () => {
  // a stream that never delivers, like a terminal nobody types into
  const stream = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const src = stdinSource(stream, { name: "x" });
  const ctl = new AbortController();
  const reading = _all(src, 0, ctl.signal);
  ctl.abort(new Error("stopped by test"));
  await assert.rejects(reading, /stopped by test/);
});

Deno.test("file range source: a range read in place, from any offset; a shrunk file is corruption", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_range_" });
  try {
    const bytes = randomBytes(1_000_000);
    const path = `${dir}/big.bin`;
    await Deno.writeFile(path, bytes);
    const src = fileRangeSource(path, { offset: 300_000, length: 500_000, name: "big.bin.002" });
    assert.deepEqual([src.size, src.seekable, src.origin], [500_000, true, path]);
    assert.deepEqual(await _all(src), bytes.subarray(300_000, 800_000));
    assert.deepEqual(await _all(src, 123), bytes.subarray(300_123, 800_000));
    assert.equal((await _all(src, 500_000)).length, 0);
    await assert.rejects(_all(src, 500_001), RangeError);
    assert.throws(() => fileRangeSource(path, { offset: -1, length: 1, name: "x" }), RangeError);
    await Deno.truncate(path, 600_000);
    await assert.rejects(_all(src), SourceCorruptError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
