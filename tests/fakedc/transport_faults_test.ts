import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram/tl/index.js";
import { openRaw, startDev } from "./_dev_cluster.ts";
import type { FakeTelegram } from "./cluster.ts";
import type { CallOutcome, RawClient } from "./_raw_client.ts";

const getConfig = () => new Api.help.GetConfig().getBytes();
const getFile = (offset: number) =>
  new Api.upload.GetFile({
    location: new Api.InputDocumentFileLocation({
      id: bigInt(555),
      accessHash: bigInt(666),
      fileReference: Buffer.from([1, 2, 3]),
      thumbSize: "",
    }),
    offset: bigInt(offset),
    limit: 1 << 20,
  }).getBytes();

async function median(c: RawClient, n: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = await c.call(getConfig());
    if (o.kind === "result") ms.push(o.ms);
  }
  return ms.sort((a, b) => a - b)[ms.length >> 1];
}

Deno.test("rtt adds latency to every answer", async () => {
  const tg = await startDev({ faults: "rtt=80" });
  const c = await openRaw(tg);
  try {
    await c.call(getConfig());
    const ms = await median(c, 5);
    assert.ok(ms >= 75 && ms < 400, `median ${ms} ms`);
  } finally {
    await c.close();
    await tg.close();
  }
});

async function download2MB(tg: FakeTelegram): Promise<number> {
  const c = await openRaw(tg, { dcId: 4 });
  try {
    await c.call(getConfig());
    const t0 = performance.now();
    // 30 s only guards against a hang: the time itself is what the test measures
    for (const off of [0, 1 << 20]) assert.equal((await c.call(getFile(off), 30_000)).kind, "result");
    return performance.now() - t0;
  } finally {
    await c.close();
  }
}

Deno.test("bw caps a connection's download rate", async () => {
  const free = await startDev();
  // The cap's own time must dwarf what a busy machine makes of the free run: at 4 MiB/s
  // (~500 ms) the free run had to stay under ~250 ms, and loaded 2-core machines took 980 and
  // 2275 ms for it. At 256 KiB/s the capped run takes 8 s, which only a free run slower than 4 s
  // could make look uncapped.
  const capped = await startDev({ faults: "bw=256K" });
  try {
    const fast = await download2MB(free);
    const slow = await download2MB(capped);
    // 2 MiB at 256 KiB/s is ~8000 ms (minus a 20 ms burst per 1 MiB answer): never faster
    assert.ok(slow >= 7900, `capped took ${slow} ms`);
    assert.ok(slow > fast * 2, `capped ${slow} ms vs free ${fast} ms`);
  } finally {
    await free.close();
    await capped.close();
  }
});

// Runs `n` calls, reopening the connection whenever the server drops it; returns the outcomes.
async function outcomes(faults: string, seed: number, n: number): Promise<string> {
  const tg = await startDev({ faults, seed });
  let c = await openRaw(tg);
  const seen: CallOutcome["kind"][] = [];
  try {
    await c.call(getConfig()); // fixes the salt; with faults it may itself be hit
    seen.length = 0;
    while (seen.length < n) {
      // a timeout is the server's word that it dropped the call, never a deadline a slow answer
      // on a busy machine could miss (150 ms once made such runs disagree)
      const dropped = tg.stats.faultTimeouts;
      const o = await c.call(getConfig(), 60_000, () => tg.stats.faultTimeouts > dropped);
      seen.push(o.kind);
      if (o.kind === "closed") {
        await c.close();
        c = await openRaw(tg);
      }
    }
    return seen.map((k) => k[0]).join("");
  } finally {
    await c.close();
    await tg.close();
  }
}

Deno.test("disconnect drops the connection at the given rate, the same calls for the same seed", async () => {
  const a = await outcomes("disconnect=0.25", 7, 40);
  const b = await outcomes("disconnect=0.25", 7, 40);
  assert.equal(a, b);
  const closes = [...a].filter((k) => k === "c").length;
  assert.ok(closes >= 4 && closes <= 18, `closed ${closes}/40: ${a}`);
  assert.ok(![...a].includes("t"));
});

Deno.test("timeout leaves calls unanswered at the given rate, the same calls for the same seed", async () => {
  const a = await outcomes("timeout=0.2", 11, 30);
  const b = await outcomes("timeout=0.2", 11, 30);
  assert.equal(a, b);
  const timeouts = [...a].filter((k) => k === "t").length;
  assert.ok(timeouts >= 2 && timeouts <= 13, `timed out ${timeouts}/30: ${a}`);
  assert.ok(![...a].includes("c"));
});
