/**
 * `tgpipe sync` killed with SIGKILL at seeded points of its own progress (events), then resumed:
 * the remote ends with every file exactly once and byte-identical, the state message says done.
 * And a state save Telegram refuses goes to a local file with a warning, never a crash.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { seededRng } from "../fakedc/world/rand.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { sectionOf, serveRemote, writeConfig } from "../remote/_rclone_serve.ts";
import { assertMirror, channelFiles, CHAT, spawnSync, stateMessage } from "./_sync_helpers.ts";

const WORLD = "gen:chats=1,messages=30,files=8,file_size=1MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 180_000 };
const TRIALS = 10;

Deno.test({
  name: `sync: kill -9 at ${TRIALS} seeded points of progress, then --resume: remote complete and identical`,
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncr_" });
    const srv = await serveRemote({ kind: "sftp", root: `${dir}/srv`, bwlimit: "2M" });
    const rng = seededRng(11);
    try {
      const want = await channelFiles(tg);
      const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", srv)]);
      for (let trial = 0; trial < TRIALS; trial++) {
        const target = `net:t${trial}`;
        const env = { ...tg.env, TGPIPE_KV: `${dir}/k${trial}.kv` };
        const args = ["--json", "sync", CHAT, target, "--template", "{id}.bin", "--temp", `${dir}/tmp`];
        args.push("--rclone-config", config, "--save-every", "2");
        // the k-th stage event (downloaded, uploaded, deleted) or state save, whichever comes
        const killAt = 1 + Math.floor(rng() * 2 * want.size);
        let seen = 0, fired = false;
        const run = spawnSync(args, env, (e, child) => {
          if (fired || !(e.type === "sync_stage" || e.type === "state_saved")) return;
          if (++seen < killAt) return;
          fired = true;
          child.kill("SIGKILL");
        });
        const killed = await run.done();
        assert.ok(
          fired && killed.code !== 0,
          `trial ${trial}: killed at event ${killAt} (exit ${killed.code})`,
        );
        const resumed = await runCli([...args, "--resume"], { env, ...T });
        assert.equal(resumed.code, 0, `trial ${trial} (killed at event ${killAt}): ${resumed.stderr}`);
        await assertMirror(`${dir}/srv/t${trial}`, want);
        const st = stateMessage(tg, target)!;
        assert.equal(st.status, "done", `trial ${trial}`);
        assert.equal(st.watermark, Math.max(...want.keys()), `trial ${trial}`);
      }
    } finally {
      await srv.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "sync: Telegram refuses the state message: saved to a local file with a warning, the sync finishes",
  fn: async () => {
    const tg = await startFakeTelegram({
      world: WORLD,
      basePort: 0,
      faults: "fail=messages.SendMessage:403/CHAT_WRITE_FORBIDDEN",
    });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncw_" });
    try {
      const want = await channelFiles(tg);
      const r = await runCli(
        ["--json", "sync", CHAT, `${dir}/out`, "--template", "{id}.bin", "--temp", `${dir}/tmp`],
        { env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` }, ...T },
      );
      assert.equal(r.code, 0, r.stderr);
      await assertMirror(`${dir}/out`, want);
      const warn = r.events.find((e) => e.type === "warning" && e.code === "STATE_SAVE_FAILED");
      assert.ok(
        warn?.type === "warning" && /CHAT_WRITE_FORBIDDEN|cannot post/i.test(warn.message),
        JSON.stringify(warn),
      );
      const saved = r.events.filter((e) => e.type === "state_saved" && e.where === "file");
      const last = saved.at(-1);
      assert.ok(last?.type === "state_saved" && last.path, JSON.stringify(last));
      const file = JSON.parse(await Deno.readTextFile(last.path!));
      assert.equal(file.status, "done");
      assert.equal(file.watermark, Math.max(...want.keys()));
      assert.equal(stateMessage(tg), undefined);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "sync --watch: after catching up it picks up a message posted meanwhile, until --max-runtime (exit 75)",
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncwatch_" });
    try {
      const want = await channelFiles(tg);
      const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
      let uploaded = 0, posted = 0;
      const args = ["--json", "sync", CHAT, `${dir}/out`, "--template", "{id}.bin", "--temp", `${dir}/tmp`];
      const run = spawnSync([...args, "--watch", "1s", "--max-runtime", "25s"], {
        ...tg.env,
        TGPIPE_KV: `${dir}/p.kv`,
      }, (e) => {
        if (e.type !== "sync_stage" || e.stage !== "uploaded" || ++uploaded !== want.size) return;
        // caught up: a new post with a file appears in the channel
        const media = chat.messages.find((m) => m.media?.kind === "document")!;
        posted = chat.messages.at(-1)!.id + 1;
        chat.messages.push({ ...media, id: posted, date: Math.floor(Date.now() / 1000) });
      });
      const r = await run.done();
      assert.equal(r.code, 75, r.stderr.slice(-2000));
      assert.ok(posted > 0, "the first pass uploaded every file");
      await assertMirror(`${dir}/out`, await channelFiles(tg));
      const st = stateMessage(tg)!;
      assert.equal(st.status, "stopped");
      assert.equal(st.watermark, posted);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "sync: Ctrl-C saves the state (status stopped) and exits 75; the same command then finishes",
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncint_" });
    const srv = await serveRemote({ kind: "sftp", root: `${dir}/srv`, bwlimit: "1M" });
    try {
      const want = await channelFiles(tg);
      const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", srv)]);
      const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
      const args = ["--json", "sync", CHAT, "net:m", "--template", "{id}.bin", "--temp", `${dir}/tmp`];
      args.push("--rclone-config", config);
      let sent = false;
      const run = spawnSync(args, env, (e, child) => {
        if (sent || e.type !== "sync_stage" || e.stage !== "uploaded") return;
        sent = true;
        child.kill("SIGINT");
      });
      const r = await run.done();
      assert.ok(sent, "an upload finished before the run did");
      assert.equal(r.code, 75, r.stderr.slice(-2000));
      const st = stateMessage(tg)!;
      assert.equal(st.status, "stopped");
      assert.ok((st.files_uploaded as number) >= 1, JSON.stringify(st));
      assert.ok(
        r.events.some((e) => e.type === "state_saved" && e.where === "telegram" && e.status === "stopped"),
      );
      const again = await runCli(args, { env, ...T });
      assert.equal(again.code, 0, again.stderr);
      await assertMirror(`${dir}/srv/m`, want);
      assert.equal(stateMessage(tg)!.status, "done");
    } finally {
      await srv.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
