import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import type { WChat } from "../fakedc/world/types.ts";
import { readTree, runTgpipe, treeDiff } from "./_export_helpers.ts";

const WORLD = "gen:chats=3,messages=400,files=8,file_size=32KB,forum=1,topics=3,comments=1,left=1";
const CHANNEL = "@gen_channel_0";
const CHANNEL_DIR = "chats/1700000000";

async function withDc<T>(
  faults: string,
  fn: (tg: Awaited<ReturnType<typeof startFakeTelegram>>, tmp: string, calls: string[]) => Promise<T>,
): Promise<T> {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_" });
  const calls: string[] = [];
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    faults,
    trace: true,
    log: (l) => void (l.includes("<- ") && calls.push(l)),
  });
  try {
    return await fn(tg, tmp, calls);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("export: sharded output equals --shards 1; incremental fetches only new; --refresh rewrites edits", async () => {
  await withDc("", async (tg, tmp, calls) => {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const one = await runTgpipe(
      ["export", CHANNEL, "@gen_forum_0", "--out", `${tmp}/a`, "--shards", "1"],
      env,
    );
    assert.equal(one.code, 0, one.stderr);
    const many = await runTgpipe(
      ["export", CHANNEL, "@gen_forum_0", "--out", `${tmp}/b`, "--shards", "4"],
      env,
    );
    assert.equal(many.code, 0, many.stderr);
    const a = await readTree(`${tmp}/a`), b = await readTree(`${tmp}/b`);
    assert.deepEqual(treeDiff(a, b), []);
    const jsonl = a.get(`${CHANNEL_DIR}/messages.jsonl`)!.trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(jsonl.length, 400);
    assert.deepEqual(jsonl.map((m) => m.id), [...jsonl.map((m) => m.id)].sort((x, y) => x - y));
    assert.ok([...a.keys()].some((k) => k.startsWith("chats/1750000000/topics/")), "forum notes by topic");
    assert.ok([...a.keys()].some((k) => k.startsWith(`${CHANNEL_DIR}/media/`)), "media downloaded");
    assert.ok(![...a.keys()].some((k) => k.endsWith(".part")));

    // a later run fetches only what is new
    const chan = tg.world.chats.get("channel:1700000000") as WChat;
    const last = chan.messages.at(-1)!;
    for (let i = 1; i <= 3; i++) {
      chan.messages.push({
        ...last,
        id: last.id + i,
        date: last.date + 60 * i,
        text: `new ${i}`,
        entities: [],
        media: undefined,
      });
    }
    calls.length = 0;
    const inc = await runTgpipe(["--json", "export", CHANNEL, "--out", `${tmp}/a`, "--shards", "1"], env);
    assert.equal(inc.code, 0, inc.stderr);
    const res = JSON.parse(inc.stdout.trim().split("\n").find((l) => l.includes('"result"'))!).data;
    assert.equal(res.chats[0].fetched, 3);
    assert.equal(res.chats[0].messages, 403);
    assert.ok(calls.filter((c) => c.includes("GetHistory")).length <= 4, calls.join("\n"));
    const after = await readTree(`${tmp}/a`);
    assert.equal(after.get(`${CHANNEL_DIR}/messages.jsonl`)!.trim().split("\n").length, 403);
    assert.match(after.get(`${CHANNEL_DIR}/notes/${last.id + 2}.md`)!, /new 2/);

    // --refresh re-renders an edited message and leaves the rest alone
    const target = chan.messages.find((m) => !m.action && !m.media && !m.groupedId && m.text.length > 0)!;
    target.text = "edited text";
    target.entities = [];
    target.editDate = target.date + 5;
    const ref = await runTgpipe(["--json", "export", CHANNEL, "--out", `${tmp}/a`, "--refresh"], env);
    assert.equal(ref.code, 0, ref.stderr);
    const r2 = JSON.parse(ref.stdout.trim().split("\n").find((l) => l.includes('"result"'))!).data;
    const refreshed = await readTree(`${tmp}/a`);
    assert.match(refreshed.get(`${CHANNEL_DIR}/notes/${target.id}.md`)!, /edited text[\s\S]*/);
    assert.match(refreshed.get(`${CHANNEL_DIR}/notes/${target.id}.md`)!, /edit_date:/);
    // the edited note plus chat.json/index.md; every other note is byte-identical and untouched
    assert.ok(r2.chats[0].notes_written <= 4, `notes_written ${r2.chats[0].notes_written}`);
    assert.equal(treeDiff(after, refreshed).filter((p) => p.includes("/notes/")).length, 1);
  });
});

Deno.test("export: with 5% injected faults (flood waits, disconnects) the output is identical", async () => {
  const clean = await withDc("", async (tg, tmp) => {
    const r = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/o`, "--shards", "3"], {
      ...tg.env,
      TGPIPE_KV: `${tmp}/p.kv`,
    });
    assert.equal(r.code, 0, r.stderr);
    return await readTree(`${tmp}/o`);
  });
  await withDc("flood=0.025,flood_s=1,disconnect=0.025", async (tg, tmp) => {
    const r = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/o`, "--shards", "3"], {
      ...tg.env,
      TGPIPE_KV: `${tmp}/p.kv`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(tg.stats.faultDisconnects > 0 || r.stderr.includes("flood"), "faults were injected");
    assert.deepEqual(treeDiff(clean, await readTree(`${tmp}/o`)), []);
  });
});

Deno.test("export: --takeout wraps calls in a takeout session; TAKEOUT_INIT_DELAY exits 75", async () => {
  await withDc("", async (tg, tmp, calls) => {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const r = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/o`, "--takeout", "--media", "none"], env);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(calls.some((c) => c.includes("InitTakeoutSession")));
    assert.ok(calls.some((c) => /InvokeWithTakeout > messages\.GetHistory/.test(c)), "history under takeout");
    assert.ok(calls.some((c) => c.includes("FinishTakeoutSession")));
  });
  await withDc("takeout_delay=3600", async (tg, tmp) => {
    const r = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/o`, "--takeout"], {
      ...tg.env,
      TGPIPE_KV: `${tmp}/p.kv`,
    });
    assert.equal(r.code, 75, r.stderr);
    assert.match(r.stderr, /approve this data export in another Telegram app/);
  });
});

Deno.test("export: bad input exits 2 with a clear message and writes nothing outside --out", async () => {
  await withDc("", async (tg, tmp) => {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const cases: Array<[string[], RegExp]> = [
      [["export", "@nobody_is_here", "--out", `${tmp}/o`], /Chat not found/],
      [["export", "https://t.me/+AbCdEf", "--out", `${tmp}/o`], /Invite links are not supported/],
      [["export", "not a chat!", "--out", `${tmp}/o`], /Not a chat/],
      [["export", "-1001790000000", "--out", `${tmp}/o`], /Chat not found/],
      [["export", CHANNEL, "--out", `${tmp}/o`, "--media", "films"], /unknown media kind/],
      [["export", CHANNEL, "--out", `${tmp}/o`, "--after", "someday"], /expected a date/],
    ];
    for (const [args, re] of cases) {
      const r = await runTgpipe(args, env);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
    await Deno.writeTextFile(`${tmp}/file`, "x");
    const r = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/file/sub`], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Output directory is not writable/);
    const top = [...Deno.readDirSync(tmp)].map((e) => e.name).sort();
    assert.ok(top.every((n) => n === "file" || n === "o" || n.startsWith("p.kv")), top.join(","));
  });
});
