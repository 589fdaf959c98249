import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { sanitizeName } from "../../lib/core/safe_name.ts";
import { safeJoin } from "../../lib/core/safe_join.ts";

const HOSTILE = [
  "../../etc/passwd",
  "..",
  ".",
  "",
  "a\0b.txt",
  "line\nbreak\r\ttab.jpg",
  "CON",
  "con.txt",
  "LPT1.log",
  "trailing dots...",
  "trailing spaces   ",
  "C:\\Windows\\system32",
  "/abs/path",
  "\u202egnp.exe",
  "x".repeat(300) + ".jpg",
  "é".repeat(300) + ".png",
  '<>:"|?*',
];

Deno.test("sanitizeName: hostile names become one safe segment", () => {
  const enc = new TextEncoder();
  for (const name of HOSTILE) {
    const s = sanitizeName(name);
    assert.ok(s.length > 0, name);
    // deno-lint-ignore no-control-regex -- the check is for control characters
    assert.ok(!/[/\\\0-\x1f<>:"|?*\u202e]/.test(s), `${JSON.stringify(name)} -> ${JSON.stringify(s)}`);
    assert.ok(s !== "." && s !== ".." && !s.startsWith("."), s);
    assert.ok(!/[. ]$/.test(s), s);
    assert.ok(!/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(s), s);
    assert.ok(enc.encode(s).length <= 200, `${s.length}`);
  }
});

Deno.test("sanitizeName: keeps ordinary names and the extension when truncating", () => {
  assert.equal(sanitizeName("photo_1@12-11-2020_12-57-31.jpg"), "photo_1@12-11-2020_12-57-31.jpg");
  assert.equal(sanitizeName("sticker (1).webp"), "sticker (1).webp");
  assert.equal(sanitizeName("../../etc/passwd"), "etc_passwd");
  assert.equal(sanitizeName("CON.txt"), "_CON.txt");
  const long = sanitizeName("é".repeat(300) + ".png", { maxBytes: 100 });
  assert.ok(long.endsWith(".png"));
  assert.ok(new TextEncoder().encode(long).length <= 100);
  assert.equal(sanitizeName("", { fallback: "media" }), "media");
  assert.throws(() => sanitizeName("x", { maxBytes: 3 }), RangeError);
});

Deno.test("safeJoin: stays inside the root or throws", () => {
  const root = "/tmp/out";
  assert.equal(safeJoin(root, "chats/1/notes/2.md"), join(root, "chats/1/notes/2.md"));
  for (const bad of ["../x", "a/../../x", "/etc/passwd", "a\0b", "..", "."]) {
    assert.throws(() => safeJoin(root, bad), RangeError, bad);
  }
  // A sanitised hostile name always joins safely.
  for (const name of HOSTILE) safeJoin(root, "media", sanitizeName(name));
});

Deno.test("safeJoin's plain-path fast path gives node:path's result, and odd paths still take the checked one", () => {
  const slow = (root: string, seg: string) => {
    const base = resolve(root);
    return resolve(join(base, seg));
  };
  for (
    const [root, seg] of [
      ["/out", "chats/1/notes/2.md"],
      ["/tmp/x y/out", "chats/1700000000/notes/100000.md"],
      ["/out", "a.b/c..d/e."],
      ["/home/u/.cache/out", "chats/1.md"],
      ["/out/", "chats/1.md"],
      ["/out", "chats//1.md"],
      ["/out", "chats/./1.md"],
      ["/out", "chats/1/"],
    ]
  ) assert.equal(safeJoin(root, seg), slow(root, seg), `${root} + ${seg}`);
  assert.throws(() => safeJoin("/out", "chats/../../x"), RangeError);
  assert.throws(() => safeJoin("/out", ".."), RangeError);
  assert.throws(() => safeJoin("/out", "/etc/passwd"), RangeError);
  assert.throws(() => safeJoin("/out", "a\0b"), RangeError);
});
