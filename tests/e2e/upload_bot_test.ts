/**
 * `tgpipe upload` with a bot in the account pool against the fake DC: a user session and a
 * `--bot-token` share the files into a channel both admin (each file's parts and message through
 * one account, both accounts sending some); a bot alone needs `--to` (it has no Saved Messages);
 * with `--to me` the bot stays out and the user's account sends everything.
 */
import assert from "node:assert/strict";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, withUploadDc, writeRandom } from "./_upload_helpers.ts";

const T = { timeoutMs: 120_000 };

Deno.test({
  name: "upload with --bot-token: shared into a channel, a bot alone needs --to, --to me leaves the bot out",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=6,messages=1,files=0",
      prefix: "tgpipe_upbot_",
    }, async ({ tg, dir }) => {
      const token = FAKE_LOGIN.bot.token;
      const bot = FAKE_LOGIN.bot.userId;
      const env = { ...tg.env, TGPIPE_DATA_DIR: `${dir}/data` };
      const ch = [...tg.world.chats.values()].find((c) => c.kind === "channel" && c.username)!;
      assert.ok(ch, "the world has a public channel");
      ch.admins = [tg.world.selfUserId, bot];
      const sums = new Map<string, string>();
      const files: string[] = [];
      for (let i = 0; i < 6; i++) {
        // big enough for several parts each, so each file's parts could be spread if they were
        const f = `${dir}/b${i}.bin`;
        sums.set(`b${i}.bin`, await writeRandom(f, 2 * 512 * 1024 + 333 * i + 1, 70 + i));
        files.push(f);
      }
      await t.step("a user session and a bot share the files into the channel", async () => {
        const r = await runCli([
          "--json",
          "upload",
          ...files,
          "--to",
          `@${ch.username}`,
          "--sort",
          "none",
          "--concurrency",
          "2",
          "--bot-token",
          token,
          "--kv",
          `${dir}/a.kv`,
        ], { env: { ...env }, secrets: [token], ...T });
        assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
        const got = await arrived(tg.world, `channel:${ch.id}`);
        assert.deepEqual(got.map((g) => g.name).sort(), [...sums.keys()].sort(), "each file exactly once");
        for (const g of got) assert.equal(g.sha256, sums.get(g.name), g.name);
        const by = new Set(got.map((g) => g.msg.postedBy));
        assert.deepEqual(by, new Set([tg.world.selfUserId, bot]), "both accounts sent some files");
      });
      await t.step("a bot alone: --to is required, then it sends", async () => {
        const botEnv = { ...env, TGPIPE_SESSION: tg.sessionFor(bot) };
        const f = `${dir}/alone.bin`;
        const sum = await writeRandom(f, 4000, 99);
        const missing = await runCli(["upload", f, "--kv", `${dir}/b.kv`], { env: botEnv, ...T });
        assert.equal(missing.code, 2, missing.stderr);
        assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
        assert.match(missing.stderr, /bot has no Saved Messages.*--to/);
        const before = (await arrived(tg.world, `channel:${ch.id}`)).length;
        const r = await runCli(["upload", f, "--to", `@${ch.username}`, "--kv", `${dir}/c.kv`], {
          env: botEnv,
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
        const got = (await arrived(tg.world, `channel:${ch.id}`)).slice(before);
        assert.deepEqual(got.map((g) => [g.sha256, g.msg.postedBy]), [[sum, bot]]);
      });
      await t.step("--to me with a bot in the pool: the bot stays out, with a warning", async () => {
        const f = `${dir}/saved.bin`;
        const sum = await writeRandom(f, 5000, 98);
        const r = await runCli(["--json", "upload", f, "--bot-token", token, "--kv", `${dir}/d.kv`], {
          env,
          secrets: [token],
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.events.some((e) => e.type === "warning" && e.code === "BOT_NO_SAVED"), "warned");
        const got = await arrived(tg.world);
        assert.deepEqual(got.map((g) => g.sha256), [sum]);
      });
      assert.deepEqual([...tg.unimplemented], []);
    }),
});
