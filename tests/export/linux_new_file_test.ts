import assert from "node:assert/strict";
import { openLinuxNewFile } from "../../lib/export/linux_new_file.ts";
import { writeTextBatch } from "../../lib/export/write_text_batch.ts";

const enc = new TextEncoder();

/** Runs `fn` in a new temporary folder, removed afterwards. */
async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_new_file_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("linux_new_file: a new file is whole under its name, with the mode writeFileSync gives", () =>
  withDir(async (dir) => {
    const w = openLinuxNewFile();
    assert.ok(w, "libc reachable on Linux with FFI allowed");
    const text = "é".repeat(5000) + "\n"; // more than one page
    assert.equal(w.write(`${dir}/a.md`, enc.encode(text)), true);
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), text);
    Deno.writeFileSync(`${dir}/b.md`, enc.encode("x"));
    assert.equal(Deno.statSync(`${dir}/a.md`).mode, Deno.statSync(`${dir}/b.md`).mode);
    assert.deepEqual(await names(dir), ["a.md", "b.md"]);
  }));

Deno.test("linux_new_file: a file already there is left to the usual way, which replaces it whole, a stale .part cleared", () =>
  withDir(async (dir) => {
    const w = openLinuxNewFile()!;
    await Deno.writeTextFile(`${dir}/a.md`, "old\n");
    await Deno.writeTextFile(`${dir}/a.md.part`, "a crashed run's\n");
    assert.equal(w.write(`${dir}/a.md`, enc.encode("new\n")), false);
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), "old\n", "untouched by the fast way");
    assert.equal(writeTextBatch({ files: [{ path: `${dir}/a.md`, text: "new\n" }] }, new Set([dir])), 1);
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), "new\n");
    assert.equal(writeTextBatch({ files: [{ path: `${dir}/a.md`, text: "newer\n" }] }, new Set([dir])), 1);
    assert.equal(await Deno.readTextFile(`${dir}/a.md`), "newer\n");
    assert.deepEqual(await names(dir), ["a.md"]);
    // that was the file's own matter: a new file takes the fast way again
    assert.equal(w.write(`${dir}/b.md`, enc.encode("b\n")), true);
  }));

Deno.test("linux_new_file: a folder it cannot open makes it step aside (false), and writeTextBatch names the file", () =>
  withDir(async (dir) => {
    const w = openLinuxNewFile()!;
    assert.equal(w.write(`${dir}/missing/a.md`, enc.encode("x")), false);
    // that folder's trouble is its own: the next file in a good folder takes the fast way again
    assert.equal(w.write(`${dir}/ok.md`, enc.encode("ok")), true);
    // a regular file where the folder should be: the usual way's error, naming the note
    await Deno.writeTextFile(`${dir}/file`, "");
    assert.throws(
      () => writeTextBatch({ files: [{ path: `${dir}/file/a.md`, text: "x" }] }, new Set([`${dir}/file`])),
      (e: Error) => e.message.startsWith(`Cannot write ${dir}/file/a.md:`),
    );
  }));

Deno.test("writeTextBatch: new notes never appear under a .part name (each is linked whole into place)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_new_file_" });
  const watcher = Deno.watchFs(dir);
  try {
    // inotify reports in order: files written between two markers show up between their events
    const paths: string[] = [];
    const events = watcher[Symbol.asyncIterator](); // one iterator: a for-await's break would close it
    const until = async (name: string) => {
      for (;;) {
        const { value: ev, done } = await events.next();
        assert.ok(!done, `the watcher ended before ${name}`);
        paths.push(...ev.paths.map((p) => p.slice(dir.length + 1)));
        if (ev.paths.some((p) => p.endsWith(`/${name}`))) return;
      }
    };
    const started = until("start");
    let wrote = false;
    // the watcher may not be listening yet when it is created: touch the marker until it is seen
    const touch = setInterval(() => !wrote && Deno.writeTextFileSync(`${dir}/start`, ""), 50);
    await started;
    wrote = true;
    clearInterval(touch);
    paths.length = 0;
    const files = Array.from({ length: 20 }, (_, i) => ({ path: `${dir}/${i}.md`, text: `note ${i}\n` }));
    assert.equal(writeTextBatch({ files }, new Set([dir])), 20);
    Deno.writeTextFileSync(`${dir}/end`, "");
    await until("end");
    assert.deepEqual(paths.filter((p) => p.endsWith(".part")), []);
    assert.ok(paths.includes("19.md"), "the notes' own events were seen");
    assert.equal(await Deno.readTextFile(`${dir}/7.md`), "note 7\n");
  } finally {
    watcher.close();
    await Deno.remove(dir, { recursive: true });
  }
});
