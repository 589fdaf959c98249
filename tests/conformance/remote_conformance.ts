import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Remote } from "../../lib/remote/remote.ts";
import { RemoteError } from "../../lib/remote/remote_errors.ts";
import { verifyUpload } from "../../lib/remote/verify_upload.ts";

/** Opens a remote over a fresh, empty root; `cleanup` stops whatever serves it. */
export type RemoteFactory = () => Promise<{ remote: Remote; cleanup: () => Promise<void> }>;

function _bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >>> 17, x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function _stream(data: Uint8Array, chunk = 64 * 1024, failAt?: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (failAt !== undefined && off >= failAt) return c.error(new Error("source broke"));
      if (off >= data.length) return c.close();
      c.enqueue(data.slice(off, off + chunk));
      off += chunk;
    },
  });
}

/** Registers the shared Remote behaviour tests (docs/architecture.md, interfaces) for one implementation. */
export function remoteConformance(name: string, factory: RemoteFactory): void {
  const t = (title: string, fn: (r: Remote, tmp: string) => Promise<void>) =>
    Deno.test({
      name: `${name}: ${title}`,
      fn: async () => {
        const tmp = await Deno.makeTempDir({ prefix: "tgpipe_remote_" });
        const { remote, cleanup } = await factory();
        try {
          await fn(remote, tmp);
        } finally {
          await cleanup();
          await Deno.remove(tmp, { recursive: true });
        }
      },
    });

  t(
    "check says what the remote can do; an empty root lists nothing; a missing file stats undefined",
    async (r) => {
      const info = await r.check();
      assert.equal(info.target, r.target);
      assert.equal(typeof info.canStream, "boolean");
      for (const h of info.hashes) assert.ok(["sha256", "sha1", "md5"].includes(h), h);
      assert.deepEqual(await r.list(), []);
      assert.equal(await r.stat("no/such file.bin"), undefined);
    },
  );

  t(
    "upload puts the file at a nested path with spaces and unicode; list and stat see its size; verify passes",
    async (r, tmp) => {
      const info = await r.check();
      const data = _bytes(300_000, 1);
      await Deno.writeFile(`${tmp}/a.bin`, data);
      const path = "chan 1/2024-05/12 ünï cødé.bin";
      const progress: number[] = [];
      await r.upload(`${tmp}/a.bin`, path, { onProgress: (b) => progress.push(b) });
      // told of the bytes sent, ending with all of them
      assert.equal(Math.max(...progress), data.length, JSON.stringify(progress));
      assert.deepEqual(await r.list(), [{ path, size: data.length }]);
      const st = await r.stat(path, { hash: info.hashes[0] });
      assert.equal(st?.size, data.length);
      if (info.hashes[0]) {
        const want = createHash(info.hashes[0]).update(data).digest("hex");
        assert.equal(st?.hashes?.[info.hashes[0]], want);
      }
      const v = await verifyUpload(r, info, { path, size: data.length, local: `${tmp}/a.bin` });
      assert.equal(v.size, data.length);
      assert.equal(v.hash, info.hashes[0]);
    },
  );

  t("upload replaces what is there; verify catches a different file of the same size", async (r, tmp) => {
    const info = await r.check();
    await Deno.writeFile(`${tmp}/a`, _bytes(50_000, 2));
    await Deno.writeFile(`${tmp}/b`, _bytes(50_000, 3));
    await Deno.writeFile(`${tmp}/c`, _bytes(10, 4));
    await r.upload(`${tmp}/a`, "x.bin");
    await r.upload(`${tmp}/c`, "x.bin");
    assert.equal((await r.stat("x.bin"))?.size, 10);
    await r.upload(`${tmp}/a`, "x.bin");
    await assert.rejects(verifyUpload(r, info, { path: "x.bin", size: 10, local: `${tmp}/c` }), RemoteError);
    if (info.hashes.length > 0) {
      await assert.rejects(
        verifyUpload(r, info, { path: "x.bin", size: 50_000, local: `${tmp}/b` }),
        (e) => e instanceof RemoteError && e.transient && /did not verify/.test(e.message),
      );
    }
    await assert.rejects(
      verifyUpload(r, info, { path: "gone.bin", size: 1, local: `${tmp}/c` }),
      RemoteError,
    );
  });

  t("rcat writes a stream with no local file; verify by the digests of the stream", async (r) => {
    const info = await r.check();
    if (!info.canStream) return;
    const data = _bytes(1_000_000, 5);
    await r.rcat(_stream(data), "s/streamed.bin", { size: data.length });
    const digests = Object.fromEntries(info.hashes.map((h) => [h, createHash(h).update(data).digest("hex")]));
    const v = await verifyUpload(r, info, { path: "s/streamed.bin", size: data.length, digests });
    assert.equal(v.hash, info.hashes[0]);
  });

  t("rcat of a stream that breaks rejects with its error and leaves no complete file", async (r) => {
    const info = await r.check();
    if (!info.canStream) return;
    const data = _bytes(2_000_000, 6);
    await assert.rejects(r.rcat(_stream(data, 64 * 1024, 512 * 1024), "broken.bin"), /source broke/);
    const st = await r.stat("broken.bin");
    assert.ok(st === undefined || st.size !== data.length, JSON.stringify(st));
  });

  t(
    "remove deletes a file; removing a missing one is fine; an aborted upload rejects with the reason",
    async (r, tmp) => {
      await Deno.writeFile(`${tmp}/a`, _bytes(1000, 7));
      await r.upload(`${tmp}/a`, "d/a.bin");
      await r.remove("d/a.bin");
      assert.equal(await r.stat("d/a.bin"), undefined);
      await r.remove("d/a.bin");
      const ac = new AbortController();
      ac.abort(new Error("stop now"));
      await assert.rejects(r.upload(`${tmp}/a`, "d/b.bin", { signal: ac.signal }), /stop now/);
    },
  );
}
