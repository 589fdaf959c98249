/** Response planning: statuses, headers and bodies for ranges and conditional requests (RFC 9110). */
import assert from "node:assert/strict";
import { type Entity, planResponse } from "../../lib/serve/plan_response.ts";

const MODIFIED = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const ENTITY: Entity = {
  size: 10000,
  type: "video/mp4",
  etag: '"doc-42"',
  lastModified: MODIFIED,
  disposition: 'inline; filename="a.mp4"',
};

function plan(headers: Record<string, string>, method = "GET", entity = ENTITY) {
  return planResponse({ method, headers: new Headers(headers) }, entity, { boundary: "B" });
}

Deno.test("plan: no Range streams the whole file with validators and Accept-Ranges", () => {
  const p = plan({});
  assert.equal(p.status, 200);
  assert.equal(p.headers.get("Content-Length"), "10000");
  assert.equal(p.headers.get("Content-Type"), "video/mp4");
  assert.equal(p.headers.get("Accept-Ranges"), "bytes");
  assert.equal(p.headers.get("ETag"), '"doc-42"');
  assert.equal(p.headers.get("Last-Modified"), "Tue, 02 Jan 2024 03:04:05 GMT");
  assert.equal(p.headers.get("Content-Disposition"), 'inline; filename="a.mp4"');
  assert.deepEqual(p.body, { kind: "single", range: { start: 0, end: 9999 } });
});

Deno.test("plan: bytes=0- is a 206 of the whole file", () => {
  const p = plan({ Range: "bytes=0-" });
  assert.equal(p.status, 206);
  assert.equal(p.headers.get("Content-Range"), "bytes 0-9999/10000");
  assert.equal(p.headers.get("Content-Length"), "10000");
});

Deno.test("plan: a single range is a 206 with exact Content-Range and Content-Length", () => {
  const p = plan({ Range: "bytes=-1" });
  assert.equal(p.status, 206);
  assert.equal(p.headers.get("Content-Range"), "bytes 9999-9999/10000");
  assert.equal(p.headers.get("Content-Length"), "1");
  assert.deepEqual(p.body, { kind: "single", range: { start: 9999, end: 9999 } });
});

Deno.test("plan: unsatisfiable is a 416 with bytes */size and no body", () => {
  const p = plan({ Range: "bytes=10000-" });
  assert.equal(p.status, 416);
  assert.equal(p.headers.get("Content-Range"), "bytes */10000");
  assert.deepEqual(p.body, { kind: "none" });
  const empty = plan({ Range: "bytes=0-" }, "GET", { ...ENTITY, size: 0 });
  assert.equal(empty.status, 416);
  assert.equal(empty.headers.get("Content-Range"), "bytes */0");
});

Deno.test("plan: a zero-length file without Range (or with a suffix range) is an empty 200", () => {
  for (const h of [{}, { Range: "bytes=-5" }] as Record<string, string>[]) {
    const p = plan(h, "GET", { ...ENTITY, size: 0 });
    assert.equal(p.status, 200);
    assert.equal(p.headers.get("Content-Length"), "0");
    assert.deepEqual(p.body, { kind: "none" });
  }
});

Deno.test("plan: malformed Range or another unit is ignored (200)", () => {
  for (const r of ["bytes=5-2", "items=0-1", "bytes=x"]) {
    const p = plan({ Range: r });
    assert.equal(p.status, 200, r);
    assert.equal(p.headers.get("Content-Range"), null);
  }
});

Deno.test("plan: several ranges are multipart/byteranges with an exact Content-Length (RFC example shape)", () => {
  const p = plan({ Range: "bytes=500-999,7000-7999" });
  assert.equal(p.status, 206);
  assert.equal(p.headers.get("Content-Type"), "multipart/byteranges; boundary=B");
  assert.ok(p.body.kind === "multipart");
  assert.deepEqual(p.body.parts.map((x) => x.range), [{ start: 500, end: 999 }, { start: 7000, end: 7999 }]);
  assert.equal(
    p.body.parts[0].head,
    "\r\n--B\r\nContent-Type: video/mp4\r\nContent-Range: bytes 500-999/10000\r\n\r\n",
  );
  assert.equal(p.body.tail, "\r\n--B--\r\n");
  const len = p.body.parts.reduce((n, x) => n + x.head.length + x.range.end - x.range.start + 1, 0) +
    p.body.tail.length;
  assert.equal(p.headers.get("Content-Length"), String(len));
});

Deno.test("plan: overlapping or adjacent ranges coalesce; into the whole file they are a 200", () => {
  const adjacent = plan({ Range: "bytes=500-600,601-999" });
  assert.equal(adjacent.status, 206);
  assert.equal(adjacent.headers.get("Content-Range"), "bytes 500-999/10000");
  const whole = plan({ Range: "bytes=0-5000,4000-" });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("Content-Length"), "10000");
  const firstLast = plan({ Range: "bytes=0-0,-1" });
  assert.ok(firstLast.body.kind === "multipart");
  assert.equal(firstLast.body.parts.length, 2);
});

Deno.test("plan: If-None-Match with the ETag (weakly compared, in a list, or *) is a 304", () => {
  for (const v of ['"doc-42"', 'W/"doc-42"', '"x", "doc-42"', "*"]) {
    const p = plan({ "If-None-Match": v });
    assert.equal(p.status, 304, v);
    assert.deepEqual(p.body, { kind: "none" });
    assert.equal(p.headers.get("ETag"), '"doc-42"');
    assert.equal(p.headers.get("Content-Length"), null);
  }
  assert.equal(plan({ "If-None-Match": '"doc-43"' }).status, 200);
  // If-None-Match wins over If-Modified-Since (§13.2.2)
  assert.equal(
    plan({ "If-None-Match": '"doc-43"', "If-Modified-Since": "Wed, 01 Jan 2025 00:00:00 GMT" }).status,
    200,
  );
});

Deno.test("plan: If-Modified-Since at or after Last-Modified is a 304", () => {
  assert.equal(plan({ "If-Modified-Since": "Tue, 02 Jan 2024 03:04:05 GMT" }).status, 304);
  assert.equal(plan({ "If-Modified-Since": "Tue, 02 Jan 2024 03:04:04 GMT" }).status, 200);
  assert.equal(plan({ "If-Modified-Since": "not a date" }).status, 200);
});

Deno.test("plan: If-Range with the strong ETag or the exact date keeps the Range, else the whole file", () => {
  assert.equal(plan({ Range: "bytes=0-9", "If-Range": '"doc-42"' }).status, 206);
  assert.equal(plan({ Range: "bytes=0-9", "If-Range": "Tue, 02 Jan 2024 03:04:05 GMT" }).status, 206);
  assert.equal(plan({ Range: "bytes=0-9", "If-Range": '"doc-41"' }).status, 200);
  // a weak tag never matches If-Range
  assert.equal(plan({ Range: "bytes=0-9", "If-Range": 'W/"doc-42"' }).status, 200);
  assert.equal(plan({ Range: "bytes=0-9", "If-Range": "Tue, 02 Jan 2024 03:04:06 GMT" }).status, 200);
});

Deno.test("plan: HEAD has GET's headers (without Range) and no body", () => {
  const get = plan({});
  const head = plan({ Range: "bytes=0-9" }, "HEAD");
  assert.equal(head.status, 200);
  assert.deepEqual([...head.headers], [...get.headers]);
  assert.deepEqual(head.body, { kind: "none" });
});
