import assert from "node:assert/strict";
import { downloadFile } from "../../lib/engine/download_file.ts";
import type { FileHashRange, FileSource, PartWriter } from "../../lib/engine/file_source.ts";
import type { PartPlan } from "../../lib/engine/parts.ts";
import { type FileLane, shareFile } from "../../lib/engine/shared_file.ts";

const PART = 128 * 1024;

function _blob(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >> 10)) & 0xff;
  return b;
}

/**
 * One fake account: serves the blob, records the parts it served, and "floods" after `budget`
 * parts: it then pauses itself for `floodMs` and fails, as a handed-off FLOOD_WAIT does.
 */
class _Lane implements FileLane {
  served: number[] = [];
  released = 0;
  hashCalls = 0;
  sources = 0;
  until = 0;
  constructor(readonly data: Uint8Array, readonly budget = Infinity, readonly floodMs = 60_000) {}
  pausedUntil = () => this.until;
  source = (): FileSource => {
    this.sources++;
    return {
      key: "mem:shared",
      size: this.data.length,
      fetchPart: (p: PartPlan, signal: AbortSignal) => {
        signal.throwIfAborted();
        if (this.served.length >= this.budget) {
          this.until = Date.now() + this.floodMs;
          return Promise.reject(new Error("FLOOD_WAIT_60"));
        }
        this.served.push(p.index);
        return Promise.resolve(this.data.slice(p.offset, Math.min(p.offset + p.limit, this.data.length)));
      },
      release: () => void this.released++,
      hashes: async () => {
        this.hashCalls++;
        if (this.until > Date.now()) throw new Error("FLOOD_WAIT_60");
        return await _hashes(this.data);
      },
    };
  };
}

async function _hashes(data: Uint8Array): Promise<FileHashRange[]> {
  const out: FileHashRange[] = [];
  for (let off = 0; off < data.length; off += PART) {
    const sha = await crypto.subtle.digest("SHA-256", data.slice(off, off + PART));
    out.push({ offset: off, limit: PART, sha256: new Uint8Array(sha) });
  }
  return out;
}

async function _inTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_shared_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("shareFile: parts skip a paused lane; the file is byte-identical and verified", async () => {
  await _inTemp(async (dir) => {
    const data = _blob(20 * PART + 777);
    const own = new _Lane(data);
    own.until = Date.now() + 60_000; // the file's own account is in a FLOOD_WAIT
    const free = new _Lane(data);
    const shared = shareFile([own, free], { key: "mem:shared", size: data.length });
    const res = await downloadFile(shared.source, `${dir}/f`, { item: "i", concurrency: 4, partSize: PART });
    assert.equal(res.bytes, data.length);
    assert.deepEqual(await Deno.readFile(`${dir}/f`), data);
    assert.equal(own.served.length, 0, "no part went to the paused lane");
    assert.equal(free.served.length, 21);
    assert.equal(own.hashCalls, 0, "hashes came from the free lane");
    assert.equal(free.hashCalls, 1);
  });
});

Deno.test("shareFile: the own lane is preferred; a lane that floods mid-file hands its parts over at once", async () => {
  await _inTemp(async (dir) => {
    const data = _blob(24 * PART);
    const own = new _Lane(data, 10);
    const other = new _Lane(data);
    const shared = shareFile([own, other], { key: "mem:shared", size: data.length });
    let retries = 0;
    await downloadFile(shared.source, `${dir}/f`, {
      item: "i",
      concurrency: 4,
      partSize: PART,
      emit: (e) => void (e.type === "retry" && retries++),
    });
    assert.deepEqual(await Deno.readFile(`${dir}/f`), data);
    assert.equal(own.served.length, 10, "the own lane served until it flooded");
    assert.equal(other.served.length, 14, "the rest went to the free lane");
    assert.equal(retries, 0, "handed over without the engine's retry and its backoff");
    assert.equal(own.released + other.released, 24, "each part's bytes go back to the lane they came from");
    assert.equal(own.released, 10);
    assert.equal(own.sources, 1, "each lane's source is made once");
    assert.equal(other.sources, 1);
  });
});

Deno.test("shareFile: with every lane paused the request goes to the one whose pause ends first", async () => {
  const data = _blob(2 * PART);
  const a = new _Lane(data);
  const b = new _Lane(data);
  a.until = Date.now() + 60_000;
  b.until = Date.now() + 5_000;
  const shared = shareFile([a, b], { key: "mem:shared", size: data.length });
  const got = await shared.source.fetchPart(
    { index: 1, offset: PART, limit: PART },
    new AbortController().signal,
  );
  assert.equal(got.length, PART);
  assert.deepEqual(b.served, [1]);
  assert.deepEqual(a.served, []);
});

Deno.test("shareFile: a failure that pauses no lane is thrown for the engine's retry, on the own lane only", async () => {
  const data = _blob(PART);
  let calls = 0;
  const broken: FileLane = {
    pausedUntil: () => 0,
    source: () => ({
      key: "k",
      size: data.length,
      fetchPart: () => (calls++, Promise.reject(new Error("Connection reset"))),
    }),
  };
  const spare = new _Lane(data);
  const shared = shareFile([broken, spare], { key: "k", size: data.length });
  await assert.rejects(
    () => shared.source.fetchPart({ index: 0, offset: 0, limit: PART }, new AbortController().signal),
    /Connection reset/,
  );
  assert.equal(calls, 1);
  assert.equal(spare.served.length, 0);
  assert.equal(shared.source.hashes, undefined, "no hashes when the own lane offers none");
});

Deno.test("shareFile: part writers (fetch workers) are shared the same way", async () => {
  const written: string[] = [];
  const lane = (name: string, until: number): FileLane => ({
    pausedUntil: () => until,
    source: () => ({ key: "k", size: PART, fetchPart: () => Promise.reject(new Error("unused")) }),
    partWriter: (): PartWriter => (part) => (written.push(`${name}:${part.index}`), Promise.resolve(PART)),
  });
  const shared = shareFile([lane("own", Date.now() + 60_000), lane("other", 0)], { key: "k", size: PART });
  assert.ok(shared.partWriter);
  assert.equal(
    await shared.partWriter({ index: 0, offset: 0, limit: PART }, "/x.part", new AbortController().signal),
    PART,
  );
  assert.deepEqual(written, ["other:0"]);
  const single = shareFile([lane("own", 0), {
    pausedUntil: () => 0,
    source: () => new _Lane(_blob(PART)).source(),
  }], {
    key: "k",
    size: PART,
  });
  assert.equal(single.partWriter, undefined, "a lane without a writer means parts are fetched here");
});
