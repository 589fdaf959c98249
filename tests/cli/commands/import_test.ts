/** `tgpipe import tdesktop` through the real CLI in a subprocess: output, JSON events, exit codes. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { runCli } from "../../_helpers/run_cli.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const DATA = new URL("../../../../shared/data/tdesktop/", import.meta.url).pathname;

// runCli isolates HOME/XDG dirs per run, keeps Deno's module cache, and validates --json events.
function _cli(args: string[]) {
  return runCli(args, { cwd: ROOT, timeoutMs: 60_000 });
}

Deno.test("cli import tdesktop: tgif slices to notes, JSON lines and media, exit 0", async () => {
  const out = await Deno.makeTempDir();
  try {
    const r = await _cli([
      "--json",
      "import",
      "tdesktop",
      join(DATA, "tgif"),
      "--out",
      out,
      "--layout",
      "day",
    ]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const types = events.map((e) => e.type);
    assert.equal(types[0], "start");
    assert.equal(types.filter((t) => t === "item_done").length, 4);
    const result = events.find((e) => e.type === "result");
    assert.equal(result.kind, "import");
    assert.equal(result.data.format, "tgif");
    assert.equal(result.data.messages, 1179);
    assert.ok(result.data.media_files > 30);
    assert.equal(events.at(-1).type, "done");
    const chat = join(out, "chats/1712691810");
    const jsonl = (await Deno.readTextFile(join(chat, "messages.jsonl"))).trim().split("\n");
    assert.equal(jsonl.length, 835);
    assert.ok((await Deno.stat(join(chat, "days/2022-09-16.md"))).isFile);
    assert.ok((await Deno.stat(join(chat, "index.md"))).isFile);
    assert.ok((await Deno.stat(join(out, "index.md"))).isFile);
    // No partial file anywhere; every note's front matter is valid YAML; media embeds resolve.
    let notes = 0;
    for await (const f of _walk(out)) {
      assert.ok(!f.endsWith(".part"), f);
      if (!f.endsWith(".md")) continue;
      const text = await Deno.readTextFile(f);
      const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
      if (fm) assert.equal(typeof parseYaml(fm[1]), "object", f);
      for (const [, target] of text.matchAll(/!\[\[([^\]]+)\]\]/g)) {
        assert.ok((await Deno.stat(join(out, target))).isFile, target);
      }
      notes++;
    }
    // 4 chats: 4 indexes, the root index and one note per chat day.
    assert.ok(notes >= 15, `${notes}`);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("cli import tdesktop: bad input exits 2 with one line", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const cases: string[][] = [
      ["import", "tdesktop", join(tmp, "missing"), "--out", join(tmp, "o1")],
      ["import", "tdesktop", tmp, "--out", join(tmp, "o2")],
      ["import", "tdesktop", join(DATA, "tg2md"), "--out", "/proc/version/x"],
      ["import", "tdesktop", join(DATA, "tg2md"), "--out", join(tmp, "o3"), "--media", "pictures"],
      ["import", "tdesktop", join(DATA, "tg2md")],
    ];
    for (const args of cases) {
      const r = await _cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}\n${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.equal(r.stdout, "");
    }
    const j = await _cli(["--json", "import", "tdesktop", tmp, "--out", join(tmp, "o4")]);
    assert.equal(j.code, 2);
    const err = JSON.parse(j.stdout.trim());
    assert.equal(err.type, "error");
    assert.equal(err.error.code, "USAGE");
    assert.match(err.error.message, /Not a Telegram Desktop export/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

async function* _walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* _walk(p);
    else yield p;
  }
}
