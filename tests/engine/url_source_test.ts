/**
 * The URL source against a loopback origin with every fault: bytes delivered exactly once and in
 * order, Range resumes after drops and stalls, typed errors for what cannot be resumed, lying
 * lengths caught. The stall watchdog runs on a test clock tripped by the origin's own stall.
 */
import assert from "node:assert/strict";
import { openUrlSource } from "../../lib/engine/url_source.ts";
import {
  SourceConnectionError,
  SourceCorruptError,
  SourceHttpError,
  SourceNotResumableError,
} from "../../lib/engine/source_errors.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";
import { type HttpOrigin, type OriginFaults, startOrigin } from "../_helpers/http_origin.ts";
import { randomBytes, TripClock } from "./_source_helpers.ts";
import { concatBytes } from "../../lib/core/concat_bytes.ts";

const BODY = randomBytes(600_000);
const SIG = new AbortController().signal;

async function _read(src: UploadSource, offset = 0, signal = SIG): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(offset, signal)) parts.push(c);
  return concatBytes(parts);
}

/** Runs `fn` against an origin serving BODY at /f with per-request `faults`, then closes it. */
async function _with(
  faults: (n: number, range: string | null) => OriginFaults,
  fn: (o: HttpOrigin, url: string) => Promise<void>,
  headers?: Record<string, string>,
): Promise<void> {
  const o = startOrigin({ "/f": { body: BODY, headers, faults: ({ n, range }) => faults(n, range) } });
  try {
    await fn(o, `${o.base}/f`);
  } finally {
    await o.close();
  }
}

async function _rejects<E extends Error>(p: Promise<unknown>, cls: new (...a: never[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof cls, `expected ${cls.name}, got ${err}`);
    return err;
  }
  throw new Error(`expected ${cls.name}, resolved`);
}

Deno.test("url source: metadata from the headers, whole body, open(offset) with Range", async () => {
  const headers = {
    "content-type": "video/mp4; charset=binary",
    "content-disposition": `attachment; filename="fallback.mp4"; filename*=UTF-8''%D0%BA%D0%BE%D1%82%20v.mp4`,
  };
  await _with(() => ({}), async (o, url) => {
    const src = await openUrlSource(url);
    assert.deepEqual([src.name, src.size, src.mime, src.seekable], [
      "кот v.mp4",
      BODY.length,
      "video/mp4",
      true,
    ]);
    assert.deepEqual(await _read(src), BODY);
    assert.deepEqual(await _read(src, 123_457), BODY.subarray(123_457));
    assert.equal(o.requests.at(-1)?.range, "bytes=123457-");
    assert.equal(o.requests.at(-1)?.status, 206);
  }, headers);
});

Deno.test("url source: name from the URL path; no ranges: not seekable, open(offset) refused", async () => {
  const o = startOrigin({ "/dir/my%20file.bin": { body: BODY, faults: () => ({ noRange: true }) } });
  try {
    const src = await openUrlSource(`${o.base}/dir/my%20file.bin?x=1`, {});
    assert.deepEqual([src.name, src.size, src.mime, src.seekable], [
      "my file.bin",
      BODY.length,
      undefined,
      false,
    ]);
    await _rejects(_read(src, 10), SourceNotResumableError);
    assert.deepEqual(await _read(src), BODY);
  } finally {
    await o.close();
  }
});

Deno.test("url source: a drop mid-body resumes with Range from the byte it reached", async () => {
  const resumes: Array<{ at: number; reason: string }> = [];
  await _with((n) => (n === 1 ? { dropAfter: 250_000 } : {}), async (o, url) => {
    const src = await openUrlSource(url, { onResume: (r) => resumes.push(r) });
    assert.deepEqual(await _read(src), BODY);
    assert.equal(resumes.length, 1);
    assert.equal(resumes[0].reason, "dropped");
    assert.ok(resumes[0].at <= 250_000 && resumes[0].at > 0, String(resumes[0].at));
    assert.equal(o.requests[2].range, `bytes=${resumes[0].at}-`);
  });
});

Deno.test("url source: an origin that serves shorter ranges than asked is read range after range", async () => {
  const resumes: unknown[] = [];
  await _with(() => ({ maxRange: 100_000 }), async (o, url) => {
    const src = await openUrlSource(url, { onResume: (r) => resumes.push(r), maxResumes: 0 });
    assert.equal(src.size, BODY.length);
    assert.deepEqual(await _read(src, 50_000), BODY.subarray(50_000));
    // not failures: no resume counted, and each request starts where the last range ended
    assert.deepEqual(resumes, []);
    assert.deepEqual(
      o.requests.slice(1).map((r) => r.range),
      [50_000, 150_000, 250_000, 350_000, 450_000, 550_000].map((n) => `bytes=${n}-`),
    );
  });
});

Deno.test("url source: a stall mid-body (no bytes for stallMs) resumes with Range", async () => {
  const clock = new TripClock();
  const resumes: Array<{ at: number; reason: string }> = [];
  await _with((n) => (n === 1 ? { stallAfter: 300_000 } : {}), async (o, url) => {
    o.stalled("/f").then(() => clock.trip());
    const src = await openUrlSource(url, { clock, stallMs: 5_000, onResume: (r) => resumes.push(r) });
    assert.deepEqual(await _read(src), BODY);
    assert.deepEqual(resumes.map((r) => r.reason), ["stalled"]);
    assert.equal(o.requests.length, 3);
  });
});

Deno.test("url source: the real timer catches a stall too (a short stallMs)", async () => {
  const reasons: string[] = [];
  // the origin stalls for good, so the stall is found whatever the load; a busy machine may add
  // resumes, never wrong bytes
  await _with((n) => (n === 1 ? { stallAfter: 200_000 } : {}), async (_o, url) => {
    const src = await openUrlSource(url, {
      stallMs: 300,
      maxResumes: 50,
      onResume: (r) => reasons.push(r.reason),
    });
    assert.deepEqual(await _read(src), BODY);
    assert.ok(reasons.includes("stalled"), reasons.join());
  });
});

Deno.test("url source: a slow start is waited for; one past stallMs is a stall", async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => open = r);
  await _with((n) => (n === 1 ? { slowStart: gate } : {}), async (_o, url) => {
    const src = await openUrlSource(url);
    const reading = _read(src);
    // the origin holds the headers until the test lets them go, whenever that is
    setTimeout(open, 50);
    assert.deepEqual(await reading, BODY);
  });
  const clock = new TripClock();
  let arrived!: () => void;
  const held = new Promise<void>((r) => arrived = r);
  await _with(
    (n) => {
      if (n === 0) arrived();
      return n === 0 ? { slowStart: new Promise(() => {}) } : {};
    },
    async (_o, url) => {
      held.then(() => clock.trip());
      const e = await _rejects(openUrlSource(url, { clock, stallMs: 5_000 }), SourceConnectionError);
      assert.equal(e.reason, "stalled");
      assert.equal(e.retryable, true);
    },
  );
});

Deno.test("url source: HTTP errors are typed with their status and retryability", async () => {
  for (
    const [status, retryable] of [[404, false], [403, false], [500, true], [503, true], [429, true]] as const
  ) {
    await _with(() => ({ status }), async (_o, url) => {
      const e = await _rejects(openUrlSource(url), SourceHttpError);
      assert.deepEqual([e.status, e.retryable, e.category], [status, retryable, "source"]);
      assert.match(e.message, new RegExp(`HTTP ${status}`));
    });
  }
  await _with(() => ({ status: 429, retryAfter: "7" }), async (_o, url) => {
    const e = await _rejects(openUrlSource(url), SourceHttpError);
    assert.deepEqual([e.retryAfterS, e.data.retry_after_s], [7, 7]);
  });
  // a 500 on the resume after a drop: the item fails with the status, not with a short file
  await _with((n) => (n === 1 ? { dropAfter: 100_000 } : n === 2 ? { status: 500 } : {}), async (_o, url) => {
    const src = await openUrlSource(url);
    const e = await _rejects(_read(src), SourceHttpError);
    assert.equal(e.status, 500);
  });
});

Deno.test("url source: a Content-Length longer than the body is caught (Range origin: at once)", async () => {
  await _with(() => ({ declaredLength: BODY.length + 1000 }), async (_o, url) => {
    const e = await _rejects(openUrlSource(url), SourceCorruptError);
    assert.equal(e.category, "corruption");
    assert.equal(e.reason, "length_mismatch");
  });
});

Deno.test("url source: a Content-Length longer than the body, no ranges: a drop first, corruption the second time", async () => {
  await _with(() => ({ noRange: true, declaredLength: BODY.length + 1000 }), async (_o, url) => {
    const src = await openUrlSource(url);
    assert.equal(src.size, BODY.length + 1000);
    const first = await _rejects(_read(src), SourceConnectionError);
    assert.deepEqual([first.reason, first.retryable, first.at], ["dropped", true, BODY.length]);
    const second = await _rejects(_read(src), SourceCorruptError);
    assert.equal(second.reason, "length_mismatch");
  });
});

Deno.test("url source: a Content-Length shorter than the body: caught with ranges, exact bytes without", async () => {
  await _with(() => ({ declaredLength: 1000 }), async (_o, url) => {
    await _rejects(openUrlSource(url), SourceCorruptError);
  });
  // HTTP framing ends the body at the declared length: the engine gets exactly what was declared
  await _with(() => ({ noRange: true, declaredLength: 1000 }), async (_o, url) => {
    const src = await openUrlSource(url);
    assert.equal(src.size, 1000);
    assert.deepEqual(await _read(src), BODY.subarray(0, 1000));
  });
});

Deno.test("url source: a length that changes between requests is corruption", async () => {
  await _with(
    (n) => (n === 1 ? { dropAfter: 100_000 } : n === 2 ? { rangeTotal: BODY.length + 5 } : {}),
    async (_o, url) => {
      const src = await openUrlSource(url);
      const e = await _rejects(_read(src), SourceCorruptError);
      assert.equal(e.reason, "range_mismatch");
    },
  );
  await _with((n) => ({ noRange: true, declaredLength: n === 0 ? BODY.length : 1000 }), async (_o, url) => {
    const src = await openUrlSource(url);
    const e = await _rejects(_read(src), SourceCorruptError);
    assert.equal(e.reason, "length_changed");
  });
});

Deno.test("url source: no Content-Length (chunked): size unknown, bytes whole; a drop without ranges fails typed", async () => {
  await _with(() => ({ chunked: true, noRange: true }), async (_o, url) => {
    const src = await openUrlSource(url);
    assert.deepEqual([src.size, src.seekable], [undefined, false]);
    assert.deepEqual(await _read(src), BODY);
  });
  await _with(
    (n) => ({ chunked: true, noRange: true, dropAfter: n === 1 ? 200_000 : undefined }),
    async (_o, url) => {
      const src = await openUrlSource(url);
      const e = await _rejects(_read(src), SourceConnectionError);
      assert.deepEqual([e.reason, e.retryable, e.category], ["dropped", true, "connection"]);
      // the engine's retry starts over from 0 and gets the whole body
      assert.deepEqual(await _read(src), BODY);
    },
  );
});

Deno.test("url source: a 200 to a Range request on resume fails typed (starts over), never mixes bodies", async () => {
  await _with(
    (n) => (n === 1 ? { dropAfter: 100_000 } : n === 2 ? { ignoreRange: true } : {}),
    async (o, url) => {
      const src = await openUrlSource(url);
      const e = await _rejects(_read(src), SourceConnectionError);
      assert.deepEqual([e.reason, e.retryable], ["range_ignored", true]);
      // the origin is no longer trusted with ranges: the next try starts at 0, without a Range header
      assert.equal(src.seekable, false);
      assert.deepEqual(await _read(src), BODY);
      assert.equal(o.requests.at(-1)?.range, null);
    },
  );
  // an origin that ignores ranges from the start is simply not seekable
  await _with(() => ({ ignoreRange: true }), async (_o, url) => {
    const src = await openUrlSource(url);
    assert.equal(src.seekable, false);
    assert.deepEqual(await _read(src), BODY);
  });
});

Deno.test("url source: gives up after maxResumes drops; abort ends the read with the reason", async () => {
  await _with((n) => (n >= 1 ? { dropAfter: 50_000 } : {}), async (o, url) => {
    const src = await openUrlSource(url, { maxResumes: 2 });
    await _rejects(_read(src), SourceConnectionError);
    // one probe, the first request and two resumes, all from the position reached
    assert.deepEqual(o.requests.map((r) => r.range), [
      "bytes=0-",
      "bytes=0-",
      "bytes=50000-",
      "bytes=100000-",
    ]);
  });
  await _with((n) => (n === 1 ? { stallAfter: 100_000 } : {}), async (o, url) => {
    const ctl = new AbortController();
    o.stalled("/f").then(() => ctl.abort(new Error("stop now")));
    const src = await openUrlSource(url);
    await assert.rejects(_read(src, 0, ctl.signal), /stop now/);
  });
});

Deno.test("url source: an empty file and a non-HTTP URL", async () => {
  const o = startOrigin({ "/e": { body: new Uint8Array() } });
  try {
    const src = await openUrlSource(`${o.base}/e`);
    assert.equal(src.size, 0);
    assert.equal((await _read(src)).length, 0);
  } finally {
    await o.close();
  }
  await assert.rejects(openUrlSource("ftp://example.com/x"), TypeError);
});

Deno.test("url source: streams with bounded memory (the origin is never far ahead of the reader); a reader that stops early leaks nothing", async () => {
  const big = randomBytes(48 << 20);
  const o = startOrigin({ "/big": { body: big } });
  try {
    const src = await openUrlSource(`${o.base}/big`);
    let read = 0;
    let ahead = 0;
    for await (const chunk of src.open(0, SIG)) {
      read += chunk.length;
      // a source that buffered the body would see all of it sent before its first chunk
      ahead = Math.max(ahead, o.sent("/big") - read);
      assert.ok(chunk.length <= 1 << 20, `a chunk of ${chunk.length} bytes`);
    }
    assert.equal(read, big.length);
    assert.ok(ahead < 16 << 20, `the origin ran ${ahead} bytes ahead of the reader`);
    // stop after the first chunk: the connection is closed, the sanitizers see no open resource
    for await (const _ of src.open(1000, SIG)) break;
  } finally {
    await o.close();
  }
});
