/** `tgpipe bot users|history|ban|unban|premium|settings|broadcast` through the real CLI against a KV file. */
import assert from "node:assert/strict";
import { runCli } from "../../_helpers/run_cli.ts";
import { openBotStore } from "../../../lib/store/bot/bot_store.ts";

async function withStore(
  fn: (kv: string, cli: (args: string[]) => ReturnType<typeof runCli>) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  const kv = `${dir}/progress.kv`;
  const s = await openBotStore(kv);
  try {
    await s.users.seen({ id: "101", username: "alice", first_name: "Alice" });
    await s.users.seen({ id: "202", username: "bob<script>", first_name: "Bob" });
    const d = await s.downloads.create({ user_id: "101", url: "https://youtu.be/x", platform: "youtube" });
    await s.downloads.update(d.id, { status: "failed", error: "Private video" });
    await s.downloads.create({ user_id: "202", url: "https://tiktok.com/@a/video/1", platform: "tiktok" });
  } finally {
    s.close();
  }
  try {
    await fn(kv, (args) => runCli(["--kv", kv, ...args], { cwd: dir, timeoutMs: 60_000 }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("cli bot: users and history as tables and JSON lines, with search and filters", async () => {
  await withStore(async (_kv, cli) => {
    const t = await cli(["bot", "users", "@al"]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(
      t.stdout,
      /^ID\s+USERNAME\s+NAME\s+DOWNLOADS\s+PREMIUM\s+BANNED\s+LAST SEEN\n101\s+@alice\s+Alice\s+0\s+no\s+no/,
    );
    assert.doesNotMatch(t.stdout, /bob/);
    const j = await cli(["--json", "bot", "users"]);
    const res = j.events.find((e) => e.type === "result") as { data: { id: string }[] };
    assert.deepEqual(res.data.map((u) => u.id), ["101", "202"]);
    const h = await cli(["bot", "history", "--status", "failed"]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /youtube\s+failed.*https:\/\/youtu\.be\/x: Private video/);
    assert.doesNotMatch(h.stdout, /tiktok/);
    const none = await cli(["bot", "history", "--platform", "instagram"]);
    assert.equal(none.stdout, "No downloads\n");
    const old = await cli(["bot", "history", "--until", "2001-01-01"]);
    assert.equal(old.stdout, "No downloads\n");
    const recent = await cli(["--json", "bot", "history", "--since", "2001-01-01"]);
    assert.equal((recent.events.find((e) => e.type === "result") as { data: unknown[] }).data.length, 2);
    const bad = await cli(["bot", "history", "--since", "yesterday"]);
    assert.equal(bad.code, 2);
  });
});

Deno.test("cli bot: ban, unban and premium change the store; unknown or bad ids are exit 2 with one line", async () => {
  await withStore(async (kv, cli) => {
    assert.equal((await cli(["bot", "ban", "202"])).code, 0);
    assert.equal((await cli(["bot", "premium", "101"])).code, 0);
    const s = await openBotStore(kv);
    try {
      assert.equal((await s.users.get("202"))?.banned, true);
      assert.equal((await s.users.get("101"))?.premium, true);
    } finally {
      s.close();
    }
    const off = await cli(["--json", "bot", "premium", "101", "--off"]);
    assert.equal(
      (off.events.find((e) => e.type === "result") as { data: { premium: boolean } }).data.premium,
      false,
    );
    const unknown = await cli(["bot", "unban", "999"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "error: No bot user with id 999\n");
    const bad = await cli(["bot", "ban", "@bob"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, "error: A user id is a number, got @bob\n");
  });
});

Deno.test("cli bot: settings are shown and set; bad values are exit 2", async () => {
  await withStore(async (kv, cli) => {
    const set = await cli([
      "bot",
      "settings",
      "--rate-limit",
      "3/min",
      "--max-file-size",
      "20MB",
      "--maintenance",
      "Back at six",
      "--disabled",
    ]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /enabled\s+no\nrate limit\s+3\/min\n/);
    assert.match(set.stdout, /max file size\s+20\.0 MiB/);
    assert.match(set.stdout, /maintenance\s+Back at six/);
    const cleared = await cli(["--json", "bot", "settings", "--no-maintenance", "--enabled"]);
    const data = (cleared.events.find((e) => e.type === "result") as { data: Record<string, unknown> }).data;
    assert.equal(data.maintenance_message, undefined);
    assert.equal(data.enabled, true);
    assert.equal(data.rate_limit_per_minute, 3);
    const s = await openBotStore(kv);
    try {
      assert.equal((await s.settings.get()).max_file_size, 20 * 1024 * 1024);
    } finally {
      s.close();
    }
    for (const args of [["--rate-limit", "many"], ["--max-file-size", "big"], ["--enabled", "--disabled"]]) {
      const r = await cli(["bot", "settings", ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });
});

Deno.test("cli bot: broadcast queues a text or a file and lists broadcasts; a missing file is exit 2", async () => {
  await withStore(async (kv, cli) => {
    const q = await cli(["bot", "broadcast", "We are back"]);
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /^Queued broadcast \S+; the running bot sends it\n$/);
    const missing = await cli(["bot", "broadcast", "--media", "nope.mp4"]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "error: --media nope.mp4 is not a file\n");
    const list = await cli(["bot", "broadcast"]);
    assert.match(list.stdout, /queued\s+0\s+0\s+0\s+We are back/);
    const id = /^Queued broadcast (\S+);/.exec(q.stdout)![1];
    const unknown = await cli(["bot", "broadcast", "--cancel", "nope"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "error: No broadcast with id nope\n");
    const s = await openBotStore(kv);
    try {
      const next = await s.broadcasts.next();
      assert.equal(next?.text, "We are back");
      assert.equal(next?.by, "cli");
    } finally {
      s.close();
    }
    const c = await cli(["bot", "broadcast", "--cancel", id]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, `Cancelled broadcast ${id}\n`);
    const twice = await cli(["bot", "broadcast", "--cancel", id]);
    assert.equal(twice.code, 2);
    assert.equal(twice.stderr, `error: Broadcast ${id} is cancelled: nothing to cancel\n`);
  });
});

Deno.test("cli bot: reading commands on a store that does not exist show defaults or nothing and create no file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const kv = `${dir}/none.kv`;
    const cli = (args: string[]) => runCli(["--kv", kv, ...args], { cwd: dir, timeoutMs: 60_000 });
    const s = await cli(["bot", "settings"]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /rate limit\s+5\/min/);
    assert.equal((await cli(["bot", "users"])).stdout, "No bot users\n");
    assert.equal((await cli(["bot", "broadcast"])).stdout, "No broadcasts\n");
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
