/**
 * `tgpipe export` with a second account (a bot token) against the fake DC: the media are shared
 * between the accounts, and the output is the same as a one-account export.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { readTree, treeDiff } from "./_export_helpers.ts";

// 35 single photos of 8-64 KB (one getFile each) among 72 messages
const WORLD =
  "gen:chats=1,messages=72,files=36,photos=1,file_size=64KB,min_size=8KB,forum=0,comments=0,left=0";

Deno.test({
  name: "export --bot-token: media shared between the accounts (none floods), output as with one account",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_exa_" });
    const args = (out: string) => ["--json", "export", "@gen_channel_0", "--media", "photo", "--out", out];
    try {
      const ref = await startFakeTelegram({ world: WORLD, basePort: 0 });
      try {
        const r = await runCli(args(`${dir}/ref`), { env: { ...ref.env, TGPIPE_KV: `${dir}/ref.kv` } });
        assert.equal(r.code, 0, r.stderr);
      } finally {
        await ref.close();
      }
      // 20 getFile calls per account per minute: one account alone would wait out a FLOOD_WAIT
      const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rule=upload.GetFile:20/60" });
      try {
        const token = FAKE_LOGIN.bot.token;
        const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv`, TGPIPE_DATA_DIR: `${dir}/data` };
        const r = await runCli([...args(`${dir}/out`), "--bot-token", token], {
          env,
          secrets: [token],
          timeoutMs: 60_000,
        });
        assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
        assert.ok(!r.events.some((e) => e.type === "pause"), "no account was paused");
        const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
        const photos = chat.messages.filter((m) => m.media?.kind === "photo").length;
        assert.ok(photos > 20, `more photos (${photos}) than one account may fetch in a minute`);
        const res = r.events.find((e) => e.type === "result");
        assert.equal((res?.data as { media_files?: number }).media_files, photos);
      } finally {
        await tg.close();
      }
      assert.deepEqual(treeDiff(await readTree(`${dir}/ref`), await readTree(`${dir}/out`)), []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
