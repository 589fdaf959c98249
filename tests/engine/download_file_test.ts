import assert from "node:assert/strict";
import { downloadFile, StallError } from "../../lib/engine/download_file.ts";
import type { FileHashRange, FileSource, PartLedger } from "../../lib/engine/file_source.ts";
import { VerifyError } from "../../lib/engine/part_file.ts";
import { Limiter } from "../../lib/engine/limiter.ts";
import type { PartPlan } from "../../lib/engine/parts.ts";
import type { EventBody } from "../../lib/progress/events.ts";

function blob(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 12)) & 0xff;
  return b;
}

class MemSource implements FileSource {
  readonly key = "mem:1";
  ready?: (signal: AbortSignal) => Promise<void>;
  fetched: number[] = [];
  constructor(
    readonly data: Uint8Array,
    readonly behave: (p: PartPlan, n: number) => Promise<void> = () => Promise.resolve(),
  ) {}
  get size() {
    return this.data.length;
  }
  async fetchPart(p: PartPlan, signal: AbortSignal): Promise<Uint8Array> {
    const n = this.fetched.filter((i) => i === p.index).length;
    this.fetched.push(p.index);
    await this.behave(p, n);
    signal.throwIfAborted();
    return this.data.slice(p.offset, Math.min(p.offset + p.limit, this.data.length));
  }
  async hashes(): Promise<FileHashRange[]> {
    const out: FileHashRange[] = [];
    for (let off = 0; off < this.data.length; off += 131072) {
      const chunk = this.data.slice(off, off + 131072);
      out.push({
        offset: off,
        limit: 131072,
        sha256: new Uint8Array(await crypto.subtle.digest("SHA-256", chunk)),
      });
    }
    return out;
  }
}

class MemLedger implements PartLedger {
  parts = new Map<string, Set<number>>();
  load(k: string) {
    return Promise.resolve(new Set(this.parts.get(k) ?? []));
  }
  markDone(k: string, i: number) {
    if (!this.parts.has(k)) this.parts.set(k, new Set());
    this.parts.get(k)!.add(i);
    return Promise.resolve();
  }
  clear(k: string) {
    this.parts.delete(k);
    return Promise.resolve();
  }
}

async function withTmp(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a file is fetched in parts, verified and renamed into place", () =>
  withTmp(async (dir) => {
    const src = new MemSource(blob(5 * 262144 + 777));
    const events: EventBody[] = [];
    const r = await downloadFile(src, `${dir}/a.bin`, {
      item: "a",
      concurrency: 3,
      partSize: 262144,
      emit: (e) => events.push(e),
    });
    assert.deepEqual(await Deno.readFile(`${dir}/a.bin`), src.data);
    assert.equal(r.fetchedBytes, src.size);
    await assert.rejects(Deno.stat(`${dir}/a.bin.part`));
    const last = events.filter((e) => e.type === "item_progress").at(-1);
    assert.deepEqual(last, { type: "item_progress", item: "a", done_bytes: src.size, total_bytes: src.size });
  }));

Deno.test("after an interruption only the missing parts are fetched again", () =>
  withTmp(async (dir) => {
    const data = blob(8 * 65536);
    const ledger = new MemLedger();
    const failing = new MemSource(data, (p) =>
      p.index >= 5 ? Promise.reject(new Error("connection lost")) : Promise.resolve());
    await assert.rejects(
      downloadFile(failing, `${dir}/b.bin`, {
        item: "b",
        concurrency: 1,
        partSize: 65536,
        ledger,
        attempts: 1,
      }),
      /connection lost/,
    );
    await assert.rejects(Deno.stat(`${dir}/b.bin`), "no complete file before all parts are there");
    const resumed = new MemSource(data);
    const r = await downloadFile(resumed, `${dir}/b.bin`, {
      item: "b",
      concurrency: 2,
      partSize: 65536,
      ledger,
    });
    assert.deepEqual(resumed.fetched.sort(), [5, 6, 7]);
    assert.equal(r.resumedParts, 5);
    assert.deepEqual(await Deno.readFile(`${dir}/b.bin`), data);
    assert.equal(ledger.parts.size, 0);
  }));

Deno.test("a deleted partial file makes the ledger start over", () =>
  withTmp(async (dir) => {
    const data = blob(4 * 4096);
    const ledger = new MemLedger();
    await ledger.markDone("mem:1", 0);
    await ledger.markDone("mem:1", 1);
    const src = new MemSource(data);
    await downloadFile(src, `${dir}/c.bin`, { item: "c", concurrency: 2, partSize: 4096, ledger });
    assert.equal(src.fetched.length, 4);
    assert.deepEqual(await Deno.readFile(`${dir}/c.bin`), data);
  }));

Deno.test("a one-part file touches no ledger: there is nothing to resume but the part itself", () =>
  withTmp(async (dir) => {
    const data = blob(100_000);
    const calls: string[] = [];
    const ledger: PartLedger = {
      load: () => (calls.push("load"), Promise.resolve(new Set([0]))),
      markDone: () => (calls.push("mark"), Promise.resolve()),
      clear: () => (calls.push("clear"), Promise.resolve()),
    };
    // a partial file left by a kill: refetched whole even though a ledger would say part 0 is done
    await Deno.writeFile(`${dir}/one.bin.part`, new Uint8Array(10));
    const src = new MemSource(data);
    const r = await downloadFile(src, `${dir}/one.bin`, { item: "one", concurrency: 4, ledger });
    assert.deepEqual(calls, []);
    assert.deepEqual(src.fetched, [0]);
    assert.equal(r.resumedParts, 0);
    assert.deepEqual(await Deno.readFile(`${dir}/one.bin`), data);
  }));

Deno.test("transient errors and stalls are retried with retry events", () =>
  withTmp(async (dir) => {
    const data = blob(4 * 4096);
    const src = new MemSource(data, (p, n) => {
      if (p.index === 1 && n === 0) return Promise.reject(new Error("timeout"));
      if (p.index === 2 && n === 0) return new Promise(() => {}); // never answers: the watchdog must act
      return Promise.resolve();
    });
    const events: EventBody[] = [];
    await downloadFile(src, `${dir}/d.bin`, {
      item: "d",
      concurrency: 4,
      partSize: 4096,
      stallMs: 50,
      retryBaseMs: 1,
      emit: (e) => events.push(e),
    });
    assert.deepEqual(await Deno.readFile(`${dir}/d.bin`), data);
    const retries = events.filter((e) => e.type === "retry");
    assert.equal(retries.length, 2);
    assert.ok(retries.some((e) => e.type === "retry" && e.error.code === "STALL"));
    assert.ok(new StallError(1, 5) instanceof Error);
  }));

Deno.test("a file that fails verification is never renamed into place", () =>
  withTmp(async (dir) => {
    const src = new MemSource(blob(3 * 4096));
    const good = await src.hashes();
    good[0].sha256[0] ^= 1;
    src.hashes = () => Promise.resolve(good);
    const ledger = new MemLedger();
    await assert.rejects(
      downloadFile(src, `${dir}/e.bin`, { item: "e", concurrency: 2, partSize: 4096, ledger }),
      VerifyError,
    );
    await assert.rejects(Deno.stat(`${dir}/e.bin`));
    await assert.rejects(Deno.stat(`${dir}/e.bin.part`));
    assert.equal(ledger.parts.size, 0);
  }));

Deno.test("aborting stops the download and keeps the partial file for resume", () =>
  withTmp(async (dir) => {
    const ctl = new AbortController();
    const src = new MemSource(blob(6 * 4096), (p) => {
      if (p.index === 3) ctl.abort(new Error("stop"));
      return Promise.resolve();
    });
    await assert.rejects(
      downloadFile(src, `${dir}/f.bin`, { item: "f", concurrency: 1, partSize: 4096, signal: ctl.signal }),
      /stop/,
    );
    await Deno.stat(`${dir}/f.bin.part`);
    await assert.rejects(Deno.stat(`${dir}/f.bin`));
  }));

Deno.test("hashes are fetched beside the parts; a part corrupted in flight fails verification from memory", () =>
  withTmp(async (dir) => {
    const size = 3 * 131072 + 1000;
    // 1 MB parts cover whole 128 KB hash ranges, so each is hashed from memory after its write
    const src = new MemSource(blob(size), () => new Promise((r) => setTimeout(r, 5)));
    let fetchedWhenAsked = -1;
    const hashes = src.hashes.bind(src);
    src.hashes = () => {
      fetchedWhenAsked = src.fetched.length;
      return hashes();
    };
    await downloadFile(src, `${dir}/g.bin`, { item: "g", concurrency: 1, partSize: 131072 });
    assert.deepEqual(await Deno.readFile(`${dir}/g.bin`), src.data);
    assert.ok(fetchedWhenAsked >= 0 && fetchedWhenAsked < 4, `hashes asked after ${fetchedWhenAsked} parts`);

    const bad = new MemSource(blob(size));
    const fetch = bad.fetchPart.bind(bad);
    bad.fetchPart = async (p, s) => {
      const b = await fetch(p, s);
      if (p.index === 2) b[7] ^= 1; // what a broken connection could deliver
      return b;
    };
    await assert.rejects(
      downloadFile(bad, `${dir}/h.bin`, { item: "h", concurrency: 2, partSize: 131072 }),
      /sha256 mismatch at offset 262144/,
    );
    await assert.rejects(Deno.stat(`${dir}/h.bin`));
  }));

/** Parts that answer only when the test releases them, and a wait for a count of them or for a flag. */
function heldParts() {
  const release: Array<() => void> = [];
  let changed = () => {};
  const tick = () => changed();
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise<void>((r) => (changed = r));
  };
  const behave = () => new Promise<void>((r) => (release.push(r), tick()));
  return { release, tick, until, behave };
}

Deno.test("hashes are asked once a first part arrived, not with the first parts", () =>
  withTmp(async (dir) => {
    const h = heldParts();
    const src = new MemSource(blob(4 * 131072), h.behave);
    let asked = false;
    const hashes = src.hashes.bind(src);
    src.hashes = () => ((asked = true), h.tick(), hashes());
    const run = downloadFile(src, `${dir}/k.bin`, { item: "k", concurrency: 4, partSize: 131072 });
    await h.until(() => h.release.length === 4);
    // before, hash requests went out with the first parts (on a fake DC at a batch's start they
    // made every first part later: the DC generated and hashed their bytes first)
    assert.equal(asked, false, "hashes asked before any part arrived");
    h.release.shift()!();
    await h.until(() => asked);
    for (const r of h.release.splice(0)) r();
    await run;
    assert.deepEqual(await Deno.readFile(`${dir}/k.bin`), src.data);

    // a file of one part to fetch (or none left, resumed) asks at once: nothing to wait for
    const g = heldParts();
    const one = new MemSource(blob(1000), g.behave);
    let oneAsked = false;
    const oneHashes = one.hashes.bind(one);
    one.hashes = () => ((oneAsked = true), g.tick(), oneHashes());
    const oneRun = downloadFile(one, `${dir}/l.bin`, { item: "l", concurrency: 4, partSize: 131072 });
    await g.until(() => g.release.length === 1 && oneAsked);
    g.release.shift()!();
    await oneRun;
  }));

Deno.test("a file whose server is not ready yet holds no place among the parts in flight", () =>
  withTmp(async (dir) => {
    const inFlight = new Limiter(2);
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    const waiting = new MemSource(blob(4 * 131072));
    waiting.ready = () => opened;
    const other = new MemSource(blob(6 * 131072));
    const opts = (item: string) => ({ item, concurrency: 2, partSize: 131072, inFlight });
    const a = downloadFile(waiting, `${dir}/m.bin`, opts("m"));
    // the other file gets both places and finishes while the first one's server is still opening
    await downloadFile(other, `${dir}/n.bin`, opts("n"));
    // before, its parts took the places at once and waited in them for the connection
    assert.deepEqual(waiting.fetched, [], "parts asked for before the server was ready");
    open();
    await a;
    assert.deepEqual(await Deno.readFile(`${dir}/m.bin`), waiting.data);
  }));

Deno.test("a stop while a file waits for its server to be ready ends the wait at once", () =>
  withTmp(async (dir) => {
    // the server never gets ready (a DC silent while its first connection opens) and ready() takes
    // no signal: before, a Ctrl-C waited for the connection to time out (30 s in interrupt_test)
    const src = new MemSource(blob(4 * 131072));
    let asked!: () => void;
    const askedReady = new Promise<void>((r) => (asked = r));
    src.ready = () => (asked(), new Promise<void>(() => {}));
    const stop = new AbortController();
    const run = downloadFile(src, `${dir}/s.bin`, {
      item: "s",
      concurrency: 2,
      partSize: 131072,
      inFlight: new Limiter(2),
      signal: stop.signal,
    });
    await askedReady;
    stop.abort(new Error("stopped"));
    await assert.rejects(run, /stopped/);
    assert.deepEqual(src.fetched, [], "no part asked for after the stop");
  }));

Deno.test("files sharing an inFlight limiter never have more parts in flight together than it allows", () =>
  withTmp(async (dir) => {
    let now = 0, peak = 0;
    const slow = () => {
      peak = Math.max(peak, ++now);
      return new Promise<void>((r) => setTimeout(() => (now--, r()), 3));
    };
    const inFlight = new Limiter(3);
    const a = new MemSource(blob(8 * 4096), slow), b = new MemSource(blob(6 * 4096), slow);
    await Promise.all([
      downloadFile(a, `${dir}/i.bin`, { item: "i", concurrency: 4, partSize: 4096, inFlight }),
      downloadFile(b, `${dir}/j.bin`, { item: "j", concurrency: 4, partSize: 4096, inFlight }),
    ]);
    assert.equal(peak, 3);
    assert.deepEqual(await Deno.readFile(`${dir}/i.bin`), a.data);
    assert.deepEqual(await Deno.readFile(`${dir}/j.bin`), b.data);
  }));
