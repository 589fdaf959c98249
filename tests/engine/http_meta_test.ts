import assert from "node:assert/strict";
import { safeOrigin } from "../../lib/engine/http_get.ts";
import { declaredLength, fileNameOf, mimeOf, parseContentRange } from "../../lib/engine/http_meta.ts";

Deno.test("http meta: file names from Content-Disposition (RFC 6266 filename* first) or the URL", () => {
  const u = "https://h/a/b/from%20url.zip?x=1";
  assert.equal(fileNameOf(`attachment; filename*=UTF-8''%E2%82%AC%20rates.txt`, u), "€ rates.txt");
  assert.equal(fileNameOf(`attachment; filename="plain.txt"; filename*=utf-8''n%C3%A9.txt`, u), "né.txt");
  assert.equal(fileNameOf(`attachment; filename*=iso-8859-1'en'%A3.txt`, u), "£.txt");
  assert.equal(fileNameOf(`attachment; filename="q \\"x\\".txt"`, u), `q "x".txt`);
  assert.equal(fileNameOf(`inline; filename=token.bin`, u), "token.bin");
  // a broken filename* falls back to filename, a path never leaves its last segment
  assert.equal(fileNameOf(`attachment; filename*=UTF-8''%FF%FE; filename="ok.txt"`, u), "ok.txt");
  assert.equal(fileNameOf(`attachment; filename="../../etc/passwd"`, u), "passwd");
  assert.equal(fileNameOf(`attachment`, u), "from url.zip");
  assert.equal(fileNameOf(null, "https://h/"), "download");
  assert.equal(fileNameOf(null, "https://h/.."), "download");
  assert.equal(fileNameOf(`attachment; filename="a\u0001b"`, u), "a_b");
});

Deno.test("http meta: Content-Range, Content-Length (not when encoded), Content-Type", () => {
  assert.deepEqual(parseContentRange("bytes 10-19/100"), { start: 10, end: 19, total: 100 });
  assert.deepEqual(parseContentRange("bytes 0-9/*"), { start: 0, end: 9, total: undefined });
  assert.equal(parseContentRange("bytes 9-1/100"), undefined);
  assert.equal(parseContentRange("items 1-2/3"), undefined);
  assert.equal(parseContentRange(null), undefined);
  assert.equal(declaredLength(new Headers({ "content-length": "42" })), 42);
  assert.equal(
    declaredLength(new Headers({ "content-length": "42", "content-encoding": "gzip" })),
    undefined,
  );
  assert.equal(declaredLength(new Headers({ "content-length": "4x" })), undefined);
  assert.equal(declaredLength(new Headers()), undefined);
  assert.equal(mimeOf(new Headers({ "content-type": "Text/Plain; charset=utf-8" })), "text/plain");
  assert.equal(mimeOf(new Headers()), undefined);
});

Deno.test("http get: the origin shown in events and errors never carries user:password", () => {
  assert.equal(safeOrigin("https://me:secret@h.example/a?b=1"), "https://h.example/a?b=1");
});
