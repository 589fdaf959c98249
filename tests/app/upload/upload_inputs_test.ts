import assert from "node:assert/strict";
import { resolveInputs } from "../../../lib/app/upload/upload_inputs.ts";
import { planItems } from "../../../lib/app/upload/plan_items.ts";
import { UsageError } from "../../../lib/core/errors.ts";
import { globToRegExp, matchGlob } from "../../../lib/core/glob.ts";

Deno.test("globs: * and ? in a segment, ** across, classes, alternatives; name-only without /", () => {
  assert.ok(matchGlob("*.mp4", "a/b/c.mp4"));
  assert.ok(!matchGlob("*.mp4", "a/b/c.mp3"));
  assert.ok(matchGlob("**/*.{jpg,png}", "x/y/z.png"));
  assert.ok(matchGlob("**/*.{jpg,png}", "z.jpg"));
  assert.ok(matchGlob("a/*/c?.txt", "a/b/c1.txt"));
  assert.ok(!matchGlob("a/*/c?.txt", "a/b/x/c1.txt"));
  assert.ok(matchGlob("[!.]*", "visible"));
  assert.ok(!matchGlob("[!.]*", ".hidden"));
  assert.ok(matchGlob("**/skip/**", "a/skip/b/c"));
  assert.throws(() => globToRegExp("{a,b"), RangeError);
});

Deno.test("resolveInputs: folders recursive with include/exclude, sorted small first; bad inputs are usage errors", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_inputs_" });
  try {
    await Deno.mkdir(`${dir}/a/b`, { recursive: true });
    await Deno.writeFile(`${dir}/a/big.mp4`, new Uint8Array(300));
    await Deno.writeFile(`${dir}/a/b/small.mp4`, new Uint8Array(10));
    await Deno.writeFile(`${dir}/a/b/mid.jpg`, new Uint8Array(100));
    await Deno.writeFile(`${dir}/a/x.tmp`, new Uint8Array(1));
    const names = (list: Awaited<ReturnType<typeof resolveInputs>>) => list.map((i) => i.source.name);
    assert.deepEqual(names(await resolveInputs([`${dir}/a`], { exclude: ["*.tmp"] })), [
      "small.mp4",
      "mid.jpg",
      "big.mp4",
    ]);
    // by path: a/b/small.mp4 before a/big.mp4
    assert.deepEqual(names(await resolveInputs([`${dir}/a`], { include: ["*.mp4"], sort: "name" })), [
      "small.mp4",
      "big.mp4",
    ]);
    assert.deepEqual(names(await resolveInputs([`${dir}/a`], { include: ["b/*"], sort: "none" })), [
      "mid.jpg",
      "small.mp4",
    ]);
    // a file named again inside its folder goes up once
    assert.equal((await resolveInputs([`${dir}/a`, `${dir}/a/big.mp4`])).length, 4);
    for (const bad of ["http://[x", "-", `${dir}/nope`]) {
      await assert.rejects(resolveInputs([bad]), UsageError, bad);
    }
    const stdin = new Blob([new Uint8Array(3)]).stream();
    await assert.rejects(resolveInputs(["-"], { stdin, name: "a/b" }), UsageError, "a name with a slash");
    // a URL is asked for only in its step: here a name from its path, size unknown, sorted after the files (by origin)
    const mixed = await resolveInputs(["https://example.com/f/clip.mp4?x=1", "-", `${dir}/a/big.mp4`], {
      stdin,
      name: "in.bin",
    });
    assert.deepEqual(mixed.map((i) => [i.id.split(":")[0], i.source.name, i.source.size]), [
      ["file", "big.mp4", 300],
      ["url", "clip.mp4", undefined],
      ["stdin", "in.bin", undefined],
    ]);
    assert.equal(mixed[1].id, "url:https://example.com/f/clip.mp4?x=1");
    assert.equal(typeof mixed[1].open, "function");
    const inputs = await resolveInputs([`${dir}/a`], { exclude: ["*.tmp"] });
    const items = planItems(inputs, { album: true });
    assert.deepEqual(items.map((i) => i.members.map((m) => m.source.name)), [[
      "small.mp4",
      "mid.jpg",
      "big.mp4",
    ]]);
    assert.equal(planItems(inputs).length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
