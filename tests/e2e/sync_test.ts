/**
 * `tgpipe sync` end to end: the real CLI against the fake DC, real rclone against a local-backend
 * remote and `rclone serve sftp` on loopback, a local directory target.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { sectionOf, serveRemote, writeConfig } from "../remote/_rclone_serve.ts";
import { assertMirror, channelFiles, CHAT, stateMessage, treeOf } from "./_sync_helpers.ts";

const WORLD = "gen:chats=1,messages=40,files=10,file_size=1MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 150_000 };

Deno.test({
  name:
    "sync: a channel to a local dir, to rclone's local backend and to served sftp; every file once, verified",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_sync_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const want = await channelFiles(tg);
    const srv = await serveRemote({ kind: "sftp", root: `${dir}/srv` });
    try {
      const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", srv)]);
      const base = [
        "--json",
        "sync",
        CHAT,
        "--template",
        "{id}.bin",
        "--temp",
        `${dir}/tmp`,
        "--rclone-config",
        config,
      ];
      await t.step("local directory: all files, state message in Saved Messages, temp empty", async () => {
        const r = await runCli([...base.slice(0, 3), `${dir}/local`, ...base.slice(3)], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        await assertMirror(`${dir}/local`, want);
        const st = stateMessage(tg)!;
        assert.equal(st.status, "done");
        assert.equal(st.files_uploaded, want.size);
        assert.equal(st.watermark, Math.max(...want.keys()));
        assert.deepEqual([...(await treeOf(`${dir}/tmp`)).keys()].filter((p) => !p.endsWith(".json")), []);
        const stages = r.events.filter((e) => e.type === "sync_stage");
        assert.equal(
          stages.filter((e) => e.type === "sync_stage" && e.stage === "uploaded").length,
          want.size,
        );
        assert.equal(
          stages.filter((e) => e.type === "sync_stage" && e.stage === "deleted").length,
          want.size,
        );
      });
      await t.step("rclone local backend, then the same again: nothing uploaded twice", async () => {
        const target = `loc:${dir}/rl`;
        const r = await runCli([...base.slice(0, 3), target, ...base.slice(3)], { env, ...T });
        assert.equal(r.code, 0, r.stderr);
        await assertMirror(`${dir}/rl`, want);
        const again = await runCli([...base.slice(0, 3), target, ...base.slice(3)], { env, ...T });
        assert.equal(again.code, 0, again.stderr);
        assert.ok(
          !again.events.some((e) => e.type === "sync_stage" && e.stage === "uploaded"),
          "no upload again",
        );
      });
      await t.step("served sftp (hash-verified), a fresh progress store and --state telegram", async () => {
        const r = await runCli([...base.slice(0, 3), "net:mirror", ...base.slice(3), "--state", "telegram"], {
          env: { ...env, TGPIPE_KV: `${dir}/p2.kv` },
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
        await assertMirror(`${dir}/srv/mirror`, want);
        const up = r.events.filter((e) => e.type === "sync_stage" && e.stage === "uploaded");
        assert.ok(
          up.every((e) => e.type === "sync_stage" && (e.hash === "sha1" || e.hash === "md5")),
          JSON.stringify(up[0]),
        );
      });
      await t.step("--keep-local keeps each uploaded file in --temp, identical to the remote's", async () => {
        const r = await runCli([...base.slice(0, 3), `${dir}/kl`, ...base.slice(3), "--keep-local"], {
          env,
          ...T,
        });
        assert.equal(r.code, 0, r.stderr);
        await assertMirror(`${dir}/kl`, want);
        assert.ok(!r.events.some((e) => e.type === "sync_stage" && e.stage === "deleted"));
        const kept = [...(await treeOf(`${dir}/tmp`)).entries()].filter(([p]) => p.endsWith(".bin"));
        const remote = await treeOf(`${dir}/kl`);
        assert.equal(kept.length, want.size);
        for (const [p, sha] of kept) assert.equal(remote.get(p.split("/").at(-1)!), sha, p);
      });
      await t.step("a remote rclone does not know: exit 2 before any download", async () => {
        const before = tg.stats.getFileCalls;
        const r = await runCli([...base.slice(0, 3), "nosuch:x", ...base.slice(3)], { env, ...T });
        assert.equal(r.code, 2, r.stderr);
        const err = r.events.find((e) => e.type === "error");
        assert.ok(
          err?.type === "error" && /nosuch:x is not configured/.test(err.error.message),
          JSON.stringify(err),
        );
        assert.equal(tg.stats.getFileCalls, before);
      });
    } finally {
      await srv.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
