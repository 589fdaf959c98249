/**
 * `tgpipe download` with several accounts, end to end against the fake DC: a file in progress
 * moves to a free account when its own one hits FLOOD_WAIT (upload.getFile rate rule per
 * account), and with one account the wait is honoured and the file still completes.
 */
import assert from "node:assert/strict";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";

// one 24 MB document (24 parts of 1 MB) in gen_channel_0, nothing else to download
const WORLD = "gen:chats=1,messages=5,files=0,big_files=1,big_size=24MB,forum=0,comments=0,left=0";
const CHAT = "https://t.me/gen_channel_0";
const T = { timeoutMs: 120_000 };

async function _withWorld(faults: string, fn: (tg: FakeTelegram, dir: string) => Promise<void>) {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_dla_" });
  try {
    await fn(tg, dir);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The world's one document: its message id and bytes. */
async function _expected(tg: FakeTelegram): Promise<{ id: number; bytes: Uint8Array }> {
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  const docs = chat.messages.filter((m) => m.media?.kind === "document");
  assert.equal(docs.length, 1);
  const md = docs[0].media!;
  assert.ok(md.kind === "document");
  return { id: docs[0].id, bytes: await readBlob(md.doc.blob, 0, md.doc.blob.size) };
}

async function _assertOut(out: string, want: { id: number; bytes: Uint8Array }): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(out)) names.push(e.name);
  assert.deepEqual(names, [String(want.id)], "one file, no .part left");
  const got = await Deno.readFile(`${out}/${want.id}`);
  assert.equal(got.length, want.bytes.length);
  assert.ok(got.every((b, i) => b === want.bytes[i]), "the file is byte-identical");
}

/** Logs the second account (the 2FA user, or the bot) in with `tgpipe login` into its own session file. */
async function _loginSecond(tg: FakeTelegram, file: string, who: "user" | "bot"): Promise<void> {
  const { TGPIPE_SESSION: _, ...env } = tg.env;
  const { phone, code, password } = FAKE_LOGIN.twoFa;
  const r = who === "bot"
    ? await runCli(["--json", "--session", file, "login", "--bot"], {
      env: { ...env, TGPIPE_BOT_TOKEN: FAKE_LOGIN.bot.token },
    })
    : await runCli(["--json", "--session", file, "login", "--phone", phone, "--code", code], {
      env: { ...env, TGPIPE_PASSWORD: password },
      secrets: [password],
    });
  assert.equal(r.code, 0, r.stderr + r.stdout);
}

function _dl(out: string, ...more: string[]): string[] {
  return ["--json", "dl", CHAT, "--template", "{id}", "--out", out, ...more];
}

function _progressAfter(events: TgpipeEvent[], i: number): number[] {
  return events.slice(i).flatMap((e) => (e.type === "item_progress" ? [e.done_bytes] : []));
}

// The fake DC lets a bot fetch the channel's files too, so a bot token can be the second account.
const VARIANTS = [
  { who: "user", workers: "0" },
  { who: "bot", workers: "0" },
  { who: "user", workers: "1" },
] as const;
for (const { who, workers } of VARIANTS) {
  Deno.test({
    name:
      `download, two accounts (second: ${who}, workers ${workers}): a flooded account's parts move at once`,
    fn: async () => {
      // 16 getFile calls per 10 minutes for the first account only: it floods after 16 of 24 parts,
      // with a wait far longer than any run, however slow the machine. (A limit on every account
      // also flooded the second one when a busy machine made the client re-send unanswered parts.)
      await _withWorld(`rule=upload.GetFile:16/600@${FAKE_LOGIN.user.userId}`, async (tg, dir) => {
        const want = await _expected(tg);
        await _loginSecond(tg, `${dir}/second.session`, who);
        // a stall timeout longer than the wait: parts may only move because the wait was handed over
        const args = _dl(
          `${dir}/o`,
          "--account",
          `${dir}/second.session`,
          "--stall-timeout",
          "120",
          "--workers",
          workers,
        );
        const r = await runCli(args, {
          env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` },
          ...T,
        });
        assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
        await _assertOut(`${dir}/o`, want);
        const pauses = r.events.flatMap((e, i) => (e.type === "pause" ? [{ e, i }] : []));
        assert.ok(pauses.length > 0, "the first account was paused");
        const first = pauses[0].e;
        assert.ok(
          first.type === "pause" && first.reason === "flood_wait" && first.account,
          JSON.stringify(first),
        );
        assert.equal(first.method, "upload.GetFile");
        assert.ok(first.seconds > 30, `a wait of most of the window, got ${first.seconds}`);
        assert.ok(
          pauses.every(({ e }) => e.type === "pause" && e.account === first.account),
          "only the flooded account paused",
        );
        // the work went on through the other account during the wait, not after it
        const after = _progressAfter(r.events, pauses[0].i);
        const before = _progressAfter(r.events, 0).filter((n) => !after.includes(n));
        assert.ok(after.length >= 4, `parts completed after the pause: ${after}`);
        assert.ok(Math.max(...after) > Math.max(0, ...before), "item_progress grew after the pause");
        const done = r.events.find((e) => e.type === "done")!;
        // judged against the wait Telegram asked for, not a fixed deadline a busy machine can miss
        const waited = Date.parse(done.ts) - Date.parse(first.ts);
        assert.ok(
          waited < first.seconds * 1000,
          `done ${waited} ms after the pause, not before its ${first.seconds} s`,
        );
        assert.ok(!r.events.some((e) => e.type === "item_failed"));
      });
    },
  });
}

Deno.test({
  name: "download, one account: a FLOOD_WAIT with no other account is honoured, then the file completes",
  fn: async () => {
    // FLOOD_WAIT_1 on 10% of calls, drawn from the seeded sequence in call order: the second call
    // draws 0.00, so a wait always comes. (A rule of 16 getFile per 3 s never fired when a loaded
    // machine took longer than 3 s for 16 parts.)
    await _withWorld("flood=0.1,flood_s=1", async (tg, dir) => {
      const want = await _expected(tg);
      const r = await runCli(_dl(`${dir}/o`), { env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` }, ...T });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
      await _assertOut(`${dir}/o`, want);
      const types = r.events.map((e) => e.type);
      assert.ok(types.includes("pause"), "the account was paused");
      // the wait was slept on the account: each pause is followed by its resume
      const pauses = types.filter((t) => t === "pause").length;
      assert.equal(types.filter((t) => t === "resume").length, pauses);
      const firstPause = types.indexOf("pause");
      assert.ok(_progressAfter(r.events, firstPause).length > 0, "parts completed after the wait");
    });
  },
});

Deno.test({
  name:
    "download, a second account as --bot-token: logs in once, its session cached 0600 by token hash, reused",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // the first account floods after 16 of 24 parts: the bot takes the rest
    await _withWorld("rule=upload.GetFile:16/60", async (tg, dir) => {
      const want = await _expected(tg);
      const token = FAKE_LOGIN.bot.token;
      const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv`, TGPIPE_DATA_DIR: `${dir}/data` };
      const args = (out: string) => _dl(out, "--bot-token", token, "--stall-timeout", "120");
      const r = await runCli(args(`${dir}/o`), { env, secrets: [token], ...T });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
      await _assertOut(`${dir}/o`, want);
      const pause = r.events.find((e) => e.type === "pause");
      assert.ok(
        pause?.type === "pause" && pause.account && !pause.account.startsWith("bot"),
        "the user paused",
      );
      const done = r.events.find((e) => e.type === "done")!;
      assert.ok(
        Date.parse(done.ts) - Date.parse(pause.ts) < 15_000,
        "the bot finished the file during the wait",
      );
      const cached: string[] = [];
      for await (const e of Deno.readDir(`${dir}/data/bots`)) cached.push(e.name);
      assert.equal(cached.length, 1, `one cached bot session: ${cached}`);
      assert.match(cached[0], /^bot-[0-9a-f]{16}\.session$/);
      assert.ok(!cached[0].includes(token.split(":")[0]), "the name holds no part of the token");
      const path = `${dir}/data/bots/${cached[0]}`;
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      const session = await Deno.readTextFile(path);
      // the next run (the file is already there) connects the bot from its cached session: no
      // new login, so the same auth key
      const again = await runCli(args(`${dir}/o`), { env, secrets: [token], ...T });
      assert.equal(again.code, 0, again.stderr + again.stdout.slice(-3000));
      assert.ok(again.events.some((e) => e.type === "item_done" && e.skipped));
      assert.equal(await Deno.readTextFile(path), session);
    });
  },
});
