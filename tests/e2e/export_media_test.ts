/**
 * Media post-processing end to end with the real ffmpeg and whisper-cli: `tgpipe export` against
 * the fake DC serving the tg2md Desktop export, `import tdesktop`, `transcribe <chat>`, the
 * transcript cache across runs, dedup across chats, and failure modes (missing model, missing
 * whisper-cli, corrupt media) that must end as warnings with correct notes.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { REPO, runCli } from "../_helpers/run_cli.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { readTree } from "./_export_helpers.ts";

const TG2MD = `${REPO}../shared/data/tdesktop/tg2md`;
const CHAT = "1292077344";
const DIR = `chats/${CHAT}`;
const WHISPER = `${REPO}.cache/whisper/bin/whisper-cli`;
const MODEL = `${REPO}.cache/whisper/test-model.bin`;
const VOICE = `${DIR}/media/7-voice`;

async function _needWhisper(): Promise<void> {
  for (const f of [WHISPER, MODEL]) {
    if (!(await Deno.stat(f).then((s) => s.isFile, () => false))) {
      throw new Error(
        `${f} is missing: run scripts/build_whisper.sh (and scripts/make_whisper_test_model.ts)`,
      );
    }
  }
}

async function withWorld<T>(world: string, fn: (env: Record<string, string>, tmp: string) => Promise<T>) {
  await _needWhisper();
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_media_e2e_" });
  const tg = await startFakeTelegram({ world: world === "" ? TG2MD : world, basePort: 0 });
  try {
    return await fn({ ...tg.env, TGPIPE_KV: `${tmp}/p.kv`, TGPIPE_CACHE_DIR: `${tmp}/cache` }, tmp);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

const WHISPER_FLAGS = ["--whisper-cli", WHISPER, "--whisper-model", MODEL];

// deno-lint-ignore no-explicit-any
function jsonl(tree: Map<string, string>, dir = DIR): Array<Record<string, any>> {
  return tree.get(`${dir}/messages.jsonl`)!.trim().split("\n").map((l) => JSON.parse(l));
}

function logs(events: TgpipeEvent[]): string[] {
  return events.flatMap((e) => e.type === "log" ? [e.message] : []);
}

function warnings(events: TgpipeEvent[]): Array<{ code: string; message: string; item?: string }> {
  return events.flatMap((e) => e.type === "warning" ? [e] : []);
}

function assertNoPart(tree: Map<string, string>): void {
  assert.deepEqual([...tree.keys()].filter((k) => k.endsWith(".part")), []);
}

/** A copy of tg2md plus a second chat with the same media (another id and title). */
async function twoChats(tmp: string, corruptVoice = false): Promise<string> {
  const root = `${tmp}/world`;
  for (const [name, id] of [["a", CHAT], ["b", "1292077399"]]) {
    const dir = `${root}/${name}`;
    for (const sub of ["files", "photos", "voice_messages"]) {
      await Deno.mkdir(`${dir}/${sub}`, { recursive: true });
      for await (const e of Deno.readDir(`${TG2MD}/${sub}`)) {
        await Deno.copyFile(`${TG2MD}/${sub}/${e.name}`, `${dir}/${sub}/${e.name}`);
      }
    }
    const doc = JSON.parse(await Deno.readTextFile(`${TG2MD}/result.json`));
    doc.id = Number(id);
    doc.name = name === "a" ? doc.name : "test copy";
    await Deno.writeTextFile(`${dir}/result.json`, JSON.stringify(doc));
    if (corruptVoice) {
      const voice = `${dir}/voice_messages/audio_1@12-11-2020_13-01-05.ogg`;
      await Deno.chmod(voice, 0o644);
      await Deno.writeFile(voice, new Uint8Array(19338).fill(0x5a));
    }
  }
  return root;
}

Deno.test("export --transcribe: voice note transcribed into note, messages.jsonl, .srt/.vtt; probe fields; cache on 2nd run", async () => {
  await withWorld("", async (env, tmp) => {
    const run = (out: string) =>
      runCli(["--json", "export", CHAT, "--out", out, "--transcribe", ...WHISPER_FLAGS], {
        env,
        timeoutMs: 60_000,
      });
    const r = await run(`${tmp}/a`);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const tree = await readTree(`${tmp}/a`);
    const note = tree.get(`${DIR}/notes/7.md`)!;
    assert.match(note, /> \[!transcript\]-\n> hello world/);
    assert.match(note, /Subtitles: \[\[.*7-voice\.srt\|srt\]\]/);
    assert.match(tree.get(`${VOICE}.srt`)!, /^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nhello world\n/);
    assert.match(tree.get(`${VOICE}.vtt`)!, /^WEBVTT\n\n00:00:00\.000 --> .*\nhello world\n/);
    const row = jsonl(tree).find((m) => m.id === 7)!;
    assert.equal(row.media.transcript, "hello world");
    assert.equal(row.media.transcript_segments[0].text, "hello world");
    assert.equal(row.media.transcript_segments[0].start_ms, 0);
    assert.equal(row.media.probe.codec, "opus");
    assert.ok(row.media.probe.duration > 2 && row.media.probe.duration < 3, JSON.stringify(row.media.probe));
    assert.ok(row.media.probe.bitrate > 0);
    assert.match(note, /^duration: 2\.\d+$/m);
    // audio messages are transcribed too; photos are probed but not transcribed
    assert.equal(jsonl(tree).find((m) => m.id === 8)!.media.transcript, "hello world");
    assert.equal(jsonl(tree).find((m) => m.id === 3)!.media.transcript, undefined);
    assertNoPart(tree);
    assert.ok(
      logs(r.events).some((l) => l.includes(`transcribe media:${CHAT}:7: whisper-cli`)),
      logs(r.events).join("\n"),
    );

    // a second export (another folder, same cache): nothing goes through whisper-cli again
    const again = await run(`${tmp}/b`);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(logs(again.events).some((l) => l.includes(`transcribe media:${CHAT}:7: from cache`)));
    assert.ok(!logs(again.events).some((l) => l.endsWith(": whisper-cli")), logs(again.events).join("\n"));
    assert.ok(logs(again.events).some((l) => /2 transcribed \(2 from cache\)/.test(l)));
    const b = await readTree(`${tmp}/b`);
    assert.equal(b.get(`${DIR}/notes/7.md`), note);
  });
});

Deno.test("export --dedup: identical media of two chats is stored once, both notes link to it, index persists", async () => {
  const tmp0 = await Deno.makeTempDir({ prefix: "tgpipe_media_world_" });
  try {
    const world = await twoChats(tmp0);
    await withWorld(world, async (env, tmp) => {
      const args = ["--json", "export", CHAT, "1292077399", "--out", `${tmp}/o`, "--dedup", "--thumbnails"];
      const r = await runCli(args, { env, timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const tree = await readTree(`${tmp}/o`);
      const copy = "chats/1292077399";
      assert.ok(tree.has(`${VOICE}.ogg`));
      assert.ok(
        ![...tree.keys()].some((k) => k.startsWith(`${copy}/media/`) && k.endsWith(".ogg")),
        "stored once",
      );
      assert.match(tree.get(`${copy}/notes/7.md`)!, new RegExp(`!\\[\\[${VOICE}\\.ogg\\]\\]`));
      const row = jsonl(tree, copy).find((m) => m.id === 7)!;
      assert.equal(row.media.file, `${VOICE}.ogg`);
      assert.match(row.media.sha256, /^[0-9a-f]{64}$/);
      const index = JSON.parse(tree.get(".tgpipe/media-index.json")!);
      assert.equal(index.files[row.media.sha256], `${VOICE}.ogg`);
      // thumbnails beside the image, in the front matter
      assert.ok(tree.has(`${DIR}/media/22-dice.thumb.webp`));
      assert.match(tree.get(`${DIR}/notes/22.md`)!, /thumbnail: "chats\/.*22-dice\.thumb\.webp"/);
      // A photo gets a thumbnail when its bytes decode; when they do not (the fake DC has served
      // synthetic photo bytes), a CORRUPT_MEDIA warning instead, and the note still embeds the photo.
      const note3 = tree.get(`${DIR}/notes/3.md`)!;
      assert.match(note3, /!\[\[chats\/1292077344\/media\/3-photo\.jpg\]\]/);
      const w = warnings(r.events).filter((x) => x.item === `media:${CHAT}:3`);
      if (tree.has(`${DIR}/media/3-photo.thumb.webp`)) {
        assert.match(note3, /thumbnail: "chats\/.*3-photo\.thumb\.webp"/);
        assert.deepEqual(w, []);
      } else {
        assert.ok(
          w.some((x) => x.code === "CORRUPT_MEDIA" && x.message.startsWith("thumbnail:")),
          JSON.stringify(w),
        );
        assert.doesNotMatch(note3, /thumb/);
      }
      assertNoPart(tree);

      // a later run into the same folder with --refresh keeps linking to the one copy
      const r2 = await runCli([...args, "--refresh"], { env, timeoutMs: 60_000 });
      assert.equal(r2.code, 0, r2.stderr);
      const t2 = await readTree(`${tmp}/o`);
      assert.equal(jsonl(t2, copy).find((m) => m.id === 7)!.media.file, `${VOICE}.ogg`);
      assert.ok(![...t2.keys()].some((k) => k.startsWith(`${copy}/media/`) && k.endsWith(".ogg")));
    });
  } finally {
    await Deno.remove(tmp0, { recursive: true });
  }
});

Deno.test("import tdesktop --transcribe: same transcript, subtitles and probe fields as export", async () => {
  await _needWhisper();
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_media_import_" });
  try {
    const r = await runCli(
      ["--json", "import", "tdesktop", TG2MD, "--out", `${tmp}/o`, "--transcribe", ...WHISPER_FLAGS],
      { env: { TGPIPE_CACHE_DIR: `${tmp}/cache` }, timeoutMs: 60_000 },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const tree = await readTree(`${tmp}/o`);
    const base = `${DIR}/media/7-audio_1@12-11-2020_13-01-05`;
    assert.match(tree.get(`${DIR}/notes/7.md`)!, /> \[!transcript\]-\n> hello world/);
    assert.ok(tree.has(`${base}.srt`) && tree.has(`${base}.vtt`));
    const row = jsonl(tree).find((m) => m.id === 7)!;
    assert.equal(row.media.transcript, "hello world");
    assert.equal(row.media.probe.codec, "opus");
    assert.deepEqual(warnings(r.events), []);
    assertNoPart(tree);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("import tdesktop --transcribe: missing model, missing whisper-cli, corrupt media -> warnings, exit 0, notes without derived files", async () => {
  await _needWhisper();
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_media_bad_" });
  try {
    const world = await twoChats(tmp, true);
    const env = { TGPIPE_CACHE_DIR: `${tmp}/cache` };
    const cases: Array<[string, string[], string, string]> = [
      [
        "model",
        ["--whisper-cli", WHISPER, "--whisper-model", `${tmp}/nope.bin`],
        `${TG2MD}`,
        "MODEL_MISSING",
      ],
      [
        "cli",
        ["--whisper-cli", `${tmp}/no-whisper-cli`, "--whisper-model", MODEL],
        `${TG2MD}`,
        "TOOL_MISSING",
      ],
      ["corrupt", WHISPER_FLAGS, `${world}/a`, "TOOL_FAILED|CORRUPT_MEDIA"],
    ];
    for (const [name, flags, src, code] of cases) {
      const out = `${tmp}/out-${name}`;
      const r = await runCli(["--json", "import", "tdesktop", src, "--out", out, "--transcribe", ...flags], {
        env,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `${name}: ${r.stderr}${r.stdout}`);
      const w = warnings(r.events);
      assert.ok(w.some((x) => code.split("|").includes(x.code)), `${name}: ${JSON.stringify(w)}`);
      const tree = await readTree(out);
      const note = tree.get(`${DIR}/notes/7.md`)!;
      assert.match(note, /!\[\[chats\/.*\/media\/7-audio_1@12-11-2020_13-01-05\.ogg\]\]/, name);
      assert.doesNotMatch(note, /transcript/, name);
      assert.ok(![...tree.keys()].some((k) => /7-audio.*\.(srt|vtt)$/.test(k)), `${name}: no subtitles`);
      assert.equal(jsonl(tree).find((m) => m.id === 7)!.media.transcript, undefined);
      assertNoPart(tree);
    }
    // no model configured at all is a usage error before any work
    const none = await runCli(["import", "tdesktop", TG2MD, "--out", `${tmp}/x`, "--transcribe"], { env });
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /--whisper-model/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("transcribe <chat>: downloads the chat's voice/audio through the download engine and transcribes them", async () => {
  await withWorld("", async (env, tmp) => {
    const r = await runCli(["--json", "transcribe", CHAT, "--out", `${tmp}/v`, ...WHISPER_FLAGS], {
      env,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const files = [...(await readTree(`${tmp}/v`)).keys()].sort();
    const srt = files.filter((f) => f.endsWith(".srt"));
    assert.equal(srt.length, 2, files.join("\n"));
    assert.ok(!files.some((f) => /\.(jpg|svg|md)$/.test(f)), "only spoken media: " + files.join(", "));
    for (const f of srt) assert.match(await Deno.readTextFile(`${tmp}/v/${f}`), /hello world/);
    assertNoPart(await readTree(`${tmp}/v`));
    const result = r.events.find((e) => e.type === "result") as { data: { done: number; skipped: number } };
    assert.equal(result.data.done + result.data.skipped, 2);
  });
});

Deno.test("transcribe <chat>: files that could not be transcribed are counted as failed (exit 3)", async () => {
  await withWorld("", async (env, tmp) => {
    // a model file whisper-cli cannot load: every download works, no transcription does
    await Deno.writeTextFile(`${tmp}/bad.bin`, "not a ggml model");
    const flags = ["--whisper-cli", WHISPER, "--whisper-model", `${tmp}/bad.bin`];
    const r = await runCli(["--json", "transcribe", CHAT, "--out", `${tmp}/v`, ...flags], {
      env,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 3, r.stderr + r.stdout);
    const failed = r.events.filter((e) => e.type === "item_failed");
    assert.equal(failed.length, 2);
    assert.ok(failed.every((e) => e.type === "item_failed" && e.error.code === "NOT_TRANSCRIBED"));
    const done = r.events.find((e) => e.type === "done");
    assert.ok(
      done?.type === "done" && done.items_failed === 2 && done.items_done === 0,
      JSON.stringify(done),
    );
  });
});
