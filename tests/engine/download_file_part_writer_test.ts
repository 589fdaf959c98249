import assert from "node:assert/strict";
import { open, readFile } from "node:fs/promises";
import { downloadFile } from "../../lib/engine/download_file.ts";
import type { FileSource, PartLedger, PartWriter } from "../../lib/engine/file_source.ts";

Deno.test("a part writer (fetch worker) writes parts itself; each is in the ledger before progress", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const size = 3 * 65536 + 100;
    const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) & 255);
    const source: FileSource = {
      key: "k",
      size,
      fetchPart: () => Promise.reject(new Error("must not be called")),
    };
    const marked: number[] = [];
    const ledger: PartLedger = {
      load: () => Promise.resolve(new Set()),
      markDone: (_k, i) => (marked.push(i), Promise.resolve()),
      clear: () => Promise.resolve(),
    };
    const writer: PartWriter = async (part, partPath) => {
      const bytes = data.subarray(part.offset, Math.min(size, part.offset + part.limit));
      const fh = await open(partPath, "r+");
      try {
        await fh.write(bytes, 0, bytes.length, part.offset);
      } finally {
        await fh.close();
      }
      return bytes.length;
    };
    const progress: number[] = [];
    const res = await downloadFile(source, `${dir}/f.bin`, {
      item: "i",
      concurrency: 2,
      partSize: 65536,
      ledger,
      partWriter: writer,
      emit: (e) => {
        if (e.type === "item_progress" && e.done_bytes > 0) progress.push(marked.length);
      },
    });
    assert.equal(res.bytes, size);
    assert.deepEqual(new Uint8Array(await readFile(`${dir}/f.bin`)), data);
    assert.deepEqual([...marked].sort(), [0, 1, 2, 3]);
    // the n-th progress event comes after at least n ledger marks
    progress.forEach((m, n) => assert.ok(m >= n + 1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
