import assert from "node:assert/strict";
import { PartFile, VerifyError } from "../../lib/engine/part_file.ts";

const R = 128 * 1024;

async function _sha(b: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", b));
}

Deno.test("PartFile.verify trusts ranges hashed as written and reads back the rest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const size = 2 * R + 100;
    const data = new Uint8Array(size).map((_, i) => (i * 7) & 255);
    const hashes = await Promise.all(
      [0, R, 2 * R].map(async (offset) => ({
        offset,
        limit: R,
        sha256: await _sha(data.subarray(offset, offset + R)),
      })),
    );
    const { file } = await PartFile.open(`${dir}/a`, { hashWritesOf: size });
    await file.writeAt(0, data.subarray(0, R)); // hashed from memory
    await file.writeAt(2 * R, data.subarray(2 * R)); // the short last range, hashed too
    // a range "from an earlier run": written behind the PartFile's back, so it is read back
    const fh = await Deno.open(`${dir}/a.part`, { write: true });
    await fh.seek(R, Deno.SeekMode.Start);
    await fh.write(data.subarray(R, 2 * R));
    // and the first range spoiled on disk after its write: the digest from memory still stands
    await fh.seek(0, Deno.SeekMode.Start);
    await fh.write(new Uint8Array([data[0] ^ 1]));
    fh.close();
    await file.verify(size, hashes);

    // the middle range read back from disk is checked: spoil it and verification fails there
    const fh2 = await Deno.open(`${dir}/a.part`, { write: true });
    await fh2.seek(R + 5, Deno.SeekMode.Start);
    await fh2.write(new Uint8Array([data[R + 5] ^ 1]));
    fh2.close();
    await assert.rejects(
      file.verify(size, hashes),
      (e) => e instanceof VerifyError && /offset 131072/.test(e.message),
    );
    await file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PartFile without hashWritesOf reads every range back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = new Uint8Array(R).fill(3);
    const { file } = await PartFile.open(`${dir}/b`);
    await file.writeAt(0, data);
    const fh = await Deno.open(`${dir}/b.part`, { write: true });
    await fh.write(new Uint8Array([4]));
    fh.close();
    await assert.rejects(file.verify(R, [{ offset: 0, limit: R, sha256: await _sha(data) }]), VerifyError);
    await file.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
