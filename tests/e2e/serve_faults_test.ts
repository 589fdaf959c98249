/**
 * `tgpipe serve` under Telegram's faults, end to end with two bots: a FLOOD_WAIT on one bot
 * mid-stream moves the remaining parts to the other and the response is the file, byte for
 * byte; an expired file reference is refreshed; a client that leaves mid-body ends its stream
 * at once and the server asks Telegram for no more of it.
 */
import assert from "node:assert/strict";
import { accessOf, startServe } from "./_serve_helpers.ts";
import { CHAT, startServeWorld } from "./_serve_world.ts";

function same(a: Uint8Array, b: Uint8Array, what: string) {
  assert.equal(a.length, b.length, `${what}: length`);
  assert.ok(a.every((x, i) => x === b[i]), `${what}: bytes differ`);
}

Deno.test("serve faults: a FLOOD_WAIT on one bot mid-stream fails over per part, bytes intact", async () => {
  // 5 getFile calls per account per 10 minutes: the 5 MB file is 7 parts, so the first bot floods
  // mid-stream with a wait far longer than the test, and only the second bot can finish it (with
  // room for a resent part or two on a loaded machine: nothing else may use the second bot)
  const w = await startServeWorld({ faults: "rule=upload.GetFile:5/600" });
  try {
    const s = await startServe(["--listen", "127.0.0.1:0", "--public", CHAT], w.botEnv, w.dir);
    try {
      const res = await fetch(`${s.url}/f/${CHAT}/${w.big.id}/big.mp4`);
      assert.equal(res.status, 200);
      same(new Uint8Array(await res.arrayBuffer()), w.big.bytes, "the streamed file");
      const pauses = s.events.filter((e) => e.type === "pause");
      assert.ok(pauses.length > 0, "a bot was paused");
      const p = pauses[0];
      assert.ok(
        p.type === "pause" && p.reason === "flood_wait" && p.method === "upload.GetFile",
        JSON.stringify(p),
      );
      assert.ok(p.seconds > 30, `a long wait: ${p.seconds}`);
      assert.ok(pauses.every((e) => e.type === "pause" && e.account === p.account), "only one bot paused");
      const path = `/f/${CHAT}/${w.big.id}/big.mp4`;
      await s.waitFor((e) => e.type === "http_access" && e.path === path, "the access event of the stream");
      const access = accessOf(s.events, path);
      assert.equal(access[0].bytes, w.big.bytes.length, "the whole body went out");
      // the wait was handed over, not slept: the response ended long before it would end
      const pausedAt = Date.parse(p.ts);
      assert.ok(Date.parse(access[0].ts) - pausedAt < p.seconds * 1000);
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  } finally {
    await w.close();
  }
});

Deno.test("serve faults: an expired file reference is refreshed and the stream goes on", async () => {
  let offset = 0;
  const w = await startServeWorld({ faults: "file_ref_ttl=30", clock: () => Date.now() + offset });
  try {
    const s = await startServe(["--listen", "127.0.0.1:0", "--public", CHAT], w.botEnv, w.dir);
    try {
      const url = `${s.url}/f/${CHAT}/${w.clip.id}`;
      same(new Uint8Array(await (await fetch(url)).arrayBuffer()), w.clip.bytes, "first");
      const lookups = w.calls.get("channels.GetMessages") ?? 0;
      // the cached reference (from the first lookup) is now past its lifetime
      offset += 60_000;
      const res = await fetch(url, { headers: { Range: "bytes=1000-" } });
      assert.equal(res.status, 206);
      same(new Uint8Array(await res.arrayBuffer()), w.clip.bytes.subarray(1000), "after the refresh");
      assert.ok((w.calls.get("channels.GetMessages") ?? 0) > lookups, "the message was fetched again");
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  } finally {
    await w.close();
  }
});

Deno.test("serve faults: a client leaving mid-body ends its stream and its Telegram requests", async () => {
  // a slow DC (per-connection cap) so the body is far from done when the client leaves
  const w = await startServeWorld({ faults: "bw=512K" });
  try {
    const s = await startServe(
      ["--listen", "127.0.0.1:0", "--public", "--read-ahead", "2", CHAT],
      w.botEnv,
      w.dir,
    );
    try {
      const path = `/f/${CHAT}/${w.big.id}`;
      const before = w.tg.stats.getFileCalls;
      const res = await fetch(`${s.url}${path}`);
      const reader = res.body!.getReader();
      const first = await reader.read();
      assert.ok(first.value && first.value.length > 0);
      await reader.cancel();
      const e = await s.waitFor(
        (e) => e.type === "http_access" && e.path === path,
        "the access event of the cut stream",
      );
      assert.ok(e.type === "http_access" && e.bytes < w.big.bytes.length, `cut short: ${JSON.stringify(e)}`);
      const calls = w.tg.stats.getFileCalls - before;
      // the file is 7 parts; the stream asked for the first and its read-ahead, then stopped
      assert.ok(calls <= 4, `getFile calls for the cut stream: ${calls}`);
      // the server still serves: the next request completes, and asks Telegram only for its own parts
      const mid = w.tg.stats.getFileCalls;
      const small = await fetch(`${s.url}/f/${CHAT}/${w.big.id}`, { headers: { Range: "bytes=0-9" } });
      same(new Uint8Array(await small.arrayBuffer()), w.big.bytes.subarray(0, 10), "next request");
      assert.equal(w.tg.stats.getFileCalls - mid, 1, "one part for 10 bytes, none for the cut stream");
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, r.stderr);
    }
  } finally {
    await w.close();
  }
});
