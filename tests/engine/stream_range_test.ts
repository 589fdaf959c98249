/** streamRange: exact bytes over valid getFile parts, a bounded read-ahead, cancel aborts parts. */
import assert from "node:assert/strict";
import type { FileSource } from "../../lib/engine/file_source.ts";
import { isValidRequest, MIB, type PartPlan } from "../../lib/engine/parts.ts";
import { planRangeParts, streamRange } from "../../lib/engine/stream_range.ts";

/** A file in memory that checks every request like Telegram and can hold parts until released. */
function memSource(size: number, opts: { hold?: boolean } = {}) {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 12)) & 0xff;
  const calls: PartPlan[] = [];
  const aborted: number[] = [];
  const held: Array<() => void> = [];
  const source: FileSource = {
    key: "mem",
    size,
    async fetchPart(part, signal) {
      assert.ok(isValidRequest(part.offset, part.limit), `valid request ${part.offset}+${part.limit}`);
      calls.push(part);
      if (opts.hold) {
        await new Promise<void>((resolve, reject) => {
          held.push(resolve);
          signal.addEventListener("abort", () => {
            aborted.push(part.offset);
            reject(signal.reason);
          }, { once: true });
        });
      }
      return data.slice(part.offset, Math.min(part.offset + part.limit, size));
    },
  };
  return { source, data, calls, aborted, held };
}

async function readAll(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(s).arrayBuffer());
}

Deno.test("planRangeParts: valid requests from the block of the first byte, none past the end", () => {
  for (
    const [start, end] of [[0, 0], [0, 5 * MIB - 1], [1_500_000, 3_000_000], [MIB - 1, MIB], [
      10 * MIB - 10,
      10 * MIB - 1,
    ]]
  ) {
    const parts = planRangeParts(start, end, { firstMax: 256 * 1024 });
    assert.ok(parts.every((p) => isValidRequest(p.offset, p.limit)), `${start}-${end}`);
    assert.ok(parts[0].offset <= start && start < parts[0].offset + parts[0].limit, "first part holds start");
    const last = parts[parts.length - 1];
    assert.ok(last.offset + last.limit > end, "covers the end");
    for (let i = 1; i < parts.length; i++) {
      assert.equal(parts[i].offset, parts[i - 1].offset + parts[i - 1].limit, "contiguous");
    }
  }
  // the first part is small (time to first byte), later ones grow to 1 MiB
  const p = planRangeParts(0, 4 * MIB - 1, { firstMax: 256 * 1024 });
  assert.equal(p[0].limit, 256 * 1024);
  assert.equal(p[p.length - 1].limit, MIB);
  assert.throws(() => planRangeParts(5, 2), RangeError);
});

Deno.test("streamRange: exact bytes for ranges anywhere in the file", async () => {
  const size = 3 * MIB + 12345;
  const m = memSource(size);
  for (
    const [a, b] of [
      [0, size - 1],
      [size - 1, size - 1],
      [0, 0],
      [MIB - 3, MIB + 3],
      [
        4095,
        4096,
      ],
      [size - 70_000, size - 1],
      [2 * MIB, 3 * MIB],
    ]
  ) {
    const got = await readAll(streamRange(m.source, { start: a, end: b }, { readAhead: 3 }));
    assert.deepEqual(got, m.data.subarray(a, b + 1), `${a}-${b}`);
  }
});

Deno.test("streamRange: a seek fetches from the part holding its first byte, nothing before", async () => {
  const size = 8 * MIB;
  const m = memSource(size);
  const start = 7 * MIB + 5000;
  await readAll(streamRange(m.source, { start, end: size - 1 }));
  assert.equal(m.calls[0].offset, 7 * MIB + 4096);
  assert.ok(m.calls.every((c) => c.offset >= 7 * MIB), JSON.stringify(m.calls));
});

Deno.test("streamRange: a reader that does not read keeps at most the window in flight", async () => {
  const m = memSource(16 * MIB);
  const s = streamRange(m.source, { start: 0, end: 16 * MIB - 1 }, { readAhead: 3 });
  const reader = s.getReader();
  const first = await reader.read();
  assert.ok(first.value && first.value.length > 0);
  // the pulls the stream makes on its own settle: still only the window was asked for
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(m.calls.length <= 4, `parts fetched: ${m.calls.length}`);
  for (let i = 0; i < 3; i++) await reader.read();
  assert.ok(m.calls.length <= 7, `parts fetched after 4 reads: ${m.calls.length}`);
  await reader.cancel();
});

Deno.test("streamRange: cancelling the stream aborts the parts in flight at once", async () => {
  const m = memSource(8 * MIB, { hold: true });
  const s = streamRange(m.source, { start: 0, end: 8 * MIB - 1 }, { readAhead: 4 });
  const reader = s.getReader();
  const read = reader.read();
  // wait until the window is in flight (observed, not timed)
  while (m.calls.length < 4) await new Promise((r) => setTimeout(r, 1));
  await reader.cancel(new Error("client went away"));
  await read.catch(() => {});
  assert.equal(m.aborted.length, 4, `aborted: ${m.aborted}`);
  assert.equal(m.calls.length, 4, "no part started after the cancel");
});

Deno.test("streamRange: a failing part errors the stream after its retries", async () => {
  const size = 2 * MIB;
  let n = 0;
  const source: FileSource = {
    key: "bad",
    size,
    fetchPart: (part) => {
      n++;
      return Promise.resolve(new Uint8Array(Math.max(0, part.limit - 1)));
    },
  };
  await assert.rejects(
    () => readAll(streamRange(source, { start: 0, end: size - 1 }, { attempts: 2, retryBaseMs: 1 })),
    /returned/,
  );
  assert.ok(n >= 2);
});
