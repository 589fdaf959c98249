/**
 * `tgpipe serve` end to end against the fake DC, with two bots logged in by token and no user
 * session: RFC 9110 behaviour over real HTTP with the bytes compared to the world's file, the
 * metadata cache (a repeated request makes no messages call), thumbnails, a file on another DC,
 * a clean shutdown on SIGINT.
 */
import assert from "node:assert/strict";
import { accessOf, type ServeProcess, startServe } from "./_serve_helpers.ts";
import { CHAT, type ServeWorld, startServeWorld } from "./_serve_world.ts";

async function _withServer(
  args: string[],
  fn: (w: ServeWorld, s: ServeProcess) => Promise<void>,
  opts: { faults?: string } = {},
): Promise<void> {
  const w = await startServeWorld(opts);
  try {
    const s = await startServe(["--listen", "127.0.0.1:0", "--public", ...args], w.botEnv, w.dir);
    try {
      await fn(w, s);
    } finally {
      const r = await s.stop();
      assert.equal(r.code, 0, `serve exit code after SIGINT\n${r.stderr}`);
      assert.ok(s.events.some((e) => e.type === "done"), "a done event at shutdown");
    }
    assert.deepEqual([...w.tg.unimplemented], []);
  } finally {
    await w.close();
  }
}

async function get(url: string, headers: Record<string, string> = {}, method = "GET") {
  const res = await fetch(url, { headers, method });
  const body = new Uint8Array(
    await res.arrayBuffer().catch((err) => {
      throw new Error(`${method} ${url} ${JSON.stringify(headers)}: ${res.status}, body cut: ${err.message}`);
    }),
  );
  return { status: res.status, headers: res.headers, body };
}

function same(a: Uint8Array, b: Uint8Array, what: string) {
  assert.equal(a.length, b.length, `${what}: length`);
  assert.ok(a.every((x, i) => x === b[i]), `${what}: bytes differ`);
}

Deno.test("serve: ranges over HTTP give the file's exact bytes (RFC 9110 conformance)", async () => {
  await _withServer([CHAT], async (w, s) => {
    const f = `${s.url}/f/${CHAT}/${w.big.id}/big.mp4`;
    const data = w.big.bytes;
    const size = data.length;
    const whole = await get(f);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("accept-ranges"), "bytes");
    assert.equal(whole.headers.get("content-type"), "video/mp4");
    assert.match(whole.headers.get("etag")!, /^"document-\d+"$/);
    assert.equal(whole.headers.get("content-disposition"), 'inline; filename="big_0.mp4"');
    same(whole.body, data, "GET without Range");
    const cases: Array<[string, number, number]> = [
      ["bytes=0-", 0, size - 1],
      ["bytes=0-0", 0, 0],
      ["bytes=-1", size - 1, size - 1],
      ["bytes=-100000", size - 100000, size - 1],
      ["bytes=-99999999", 0, size - 1],
      [`bytes=${size - 10}-${size + 1000}`, size - 10, size - 1],
      ["bytes=1048575-1048577", 1048575, 1048577],
      ["bytes=3000000-", 3000000, size - 1],
      ["bytes= 4095-4096 ", 4095, 4096],
    ];
    for (const [range, a, b] of cases) {
      const r = await get(f, { Range: range });
      assert.equal(r.status, 206, range);
      assert.equal(r.headers.get("content-range"), `bytes ${a}-${b}/${size}`, range);
      assert.equal(r.headers.get("content-length"), String(b - a + 1), range);
      same(r.body, data.subarray(a, b + 1), range);
    }
    for (const range of ["bytes=5-2", "items=0-5", "bytes=abc"]) {
      const r = await get(f, { Range: range });
      assert.equal(r.status, 200, range);
      assert.equal(r.body.length, size, range);
    }
    for (const range of [`bytes=${size}-`, "bytes=-0"]) {
      const r = await get(f, { Range: range });
      assert.equal(r.status, 416, range);
      assert.equal(r.headers.get("content-range"), `bytes */${size}`);
      assert.equal(r.body.length, 0);
    }
    // overlapping into the whole: 200; adjacent: one range
    assert.equal((await get(f, { Range: "bytes=0-3000000,2000000-" })).status, 200);
    const adj = await get(f, { Range: "bytes=10-19,20-29" });
    assert.equal(adj.headers.get("content-range"), `bytes 10-29/${size}`);
    same(adj.body, data.subarray(10, 30), "adjacent ranges");
    await _multipart(f, data);
    await _conditional(f, whole.headers);
  });
});

async function _multipart(f: string, data: Uint8Array) {
  const size = data.length;
  const r = await get(f, { Range: "bytes=0-9,-10" });
  assert.equal(r.status, 206);
  const m = /^multipart\/byteranges; boundary=(\S+)$/.exec(r.headers.get("content-type")!);
  assert.ok(m, r.headers.get("content-type")!);
  assert.equal(r.headers.get("content-length"), String(r.body.length));
  // one char per byte (TextDecoder's "latin1" is windows-1252 and remaps 0x80-0x9f)
  const text = Array.from(r.body, (b) => String.fromCharCode(b)).join("");
  const parts = text.split(`--${m[1]}`);
  assert.equal(parts.length, 4, "two parts between three boundaries");
  assert.ok(parts[3].startsWith("--"), "closing boundary");
  const ranges = [...text.matchAll(/Content-Range: bytes (\d+)-(\d+)\/(\d+)/g)].map((x) =>
    x.slice(1).map(Number)
  );
  assert.deepEqual(ranges, [[0, 9, size], [size - 10, size - 1, size]]);
  for (const [i, [a, b]] of ranges.entries()) {
    const body = parts[i + 1].split("\r\n\r\n")[1].slice(0, b - a + 1);
    same(Uint8Array.from(body, (c) => c.charCodeAt(0)), data.subarray(a, b + 1), `part ${i}`);
  }
}

async function _conditional(f: string, h: Headers) {
  const etag = h.get("etag")!;
  const lm = h.get("last-modified")!;
  assert.equal((await get(f, { "If-None-Match": etag })).status, 304);
  assert.equal((await get(f, { "If-None-Match": `W/${etag}` })).status, 304);
  assert.equal((await get(f, { "If-Modified-Since": lm })).status, 304);
  assert.equal((await get(f, { Range: "bytes=0-9", "If-Range": etag })).status, 206);
  assert.equal((await get(f, { Range: "bytes=0-9", "If-Range": lm })).status, 206);
  assert.equal((await get(f, { Range: "bytes=0-9", "If-Range": '"other"' })).status, 200);
  const head = await get(f, {}, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  for (const k of ["content-length", "content-type", "etag", "accept-ranges", "last-modified"]) {
    assert.equal(head.headers.get(k), h.get(k), k);
  }
}

Deno.test("serve: metadata is cached (no second messages call), thumbnails, another DC, empty files", async () => {
  await _withServer([CHAT], async (w, s) => {
    const meta = await get(`${s.url}/m/${CHAT}/${w.clip.id}`);
    assert.equal(meta.status, 200);
    const m = JSON.parse(new TextDecoder().decode(meta.body));
    assert.equal(m.size, w.clip.bytes.length);
    assert.equal(m.mime_type, "video/mp4");
    assert.equal(m.thumbnail, true);
    const clip = await get(`${s.url}/f/${CHAT}/${w.clip.id}/x.mp4`);
    same(clip.body, w.clip.bytes, "clip");
    // the first file request looked the message up once per account (each sees its own access hash)
    const lookups = w.calls.get("channels.GetMessages") ?? 0;
    assert.equal(lookups, 2, "one lookup per bot");
    await get(`${s.url}/f/${CHAT}/${w.clip.id}/x.mp4`, { Range: "bytes=-1000" });
    await get(`${s.url}/m/${CHAT}/${w.clip.id}`);
    assert.equal(
      w.calls.get("channels.GetMessages") ?? 0,
      lookups,
      "repeated requests made no messages call",
    );
    const thumb = await get(`${s.url}/t/${CHAT}/${w.clip.id}`);
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers.get("content-type"), "image/jpeg");
    assert.ok(thumb.body.length > 0);
    // a file on DC 4, reached through the bots' exported authorizations
    assert.equal(w.round.dcId, 4);
    same((await get(`${s.url}/f/${CHAT}/${w.round.id}`)).body, w.round.bytes, "round video on DC 4");
    const empty = await get(`${s.url}/f/${CHAT}/${w.empty.id}`);
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, 0);
    assert.equal((await get(`${s.url}/f/${CHAT}/${w.empty.id}`, { Range: "bytes=0-" })).status, 416);
    assert.equal((await get(`${s.url}/f/${CHAT}/999999`)).status, 404, "no such message");
    assert.equal((await get(`${s.url}/f/other_chat/${w.clip.id}`)).status, 404, "a chat not served");
    assert.equal((await get(`${s.url}/healthz`)).status, 200);
    // requests ran one after another: once the last one's event is in, every earlier one's is
    await s.waitFor((e) => e.type === "http_access" && e.path === "/healthz", "the last access event");
    const access = accessOf(s.events, `/f/${CHAT}/${w.clip.id}/x.mp4`);
    assert.equal(access.length, 2);
    assert.equal(access[0].status, 200);
    assert.equal(access[0].bytes, w.clip.bytes.length);
    assert.equal(access[1].range, "bytes=-1000");
  });
});
