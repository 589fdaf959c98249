/**
 * `tgpipe sync` under trouble, with real rclone: a tiny --max-disk (disk use sampled, never above
 * it; files bigger than it streamed into rclone rcat), the served remote killed and restarted
 * mid-transfer, a read-only remote (exit 1), rclone's --max-transfer as a quota (exit 75, then a
 * rerun finishes), and two --max-runtime runs with no shared progress store (the CI case).
 */
import assert from "node:assert/strict";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { sectionOf, type ServedRemote, serveRemote, writeConfig } from "../remote/_rclone_serve.ts";
import { assertMirror, channelFiles, CHAT, spawnSync, stateMessage } from "./_sync_helpers.ts";

const T = { timeoutMs: 180_000 };

async function _world(
  world: string,
  fn: (
    c: { tg: FakeTelegram; dir: string; srv: ServedRemote; config: string; env: Record<string, string> },
  ) => Promise<void>,
  serve: { bwlimit?: string; readOnly?: boolean } = {},
): Promise<void> {
  const tg = await startFakeTelegram({ world, basePort: 0 });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncf_" });
  const srv = await serveRemote({ kind: "sftp", root: `${dir}/srv`, ...serve });
  try {
    const config = await writeConfig(`${dir}/rclone.conf`, [await sectionOf("net", srv)]);
    await fn({ tg, dir, srv, config, env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` } });
  } finally {
    await srv.stop();
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const ARGS = (dir: string, config: string, target = "net:m") => [
  "--json",
  "sync",
  CHAT,
  target,
  "--template",
  "{id}.bin",
  "--temp",
  `${dir}/tmp`,
  "--rclone-config",
  config,
];

/** Bytes of every file under `root` now (a sample; .part files included). */
async function _bytesIn(root: string): Promise<number> {
  let n = 0;
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(`${d}/${e.name}`).catch(() => {});
      else if (e.isFile && !e.name.endsWith(".json")) {
        n += await Deno.stat(`${d}/${e.name}`).then((s) => s.size, () => 0);
      }
    }
  };
  await walk(root).catch(() => {});
  return n;
}

Deno.test({
  name: "sync: a tiny --max-disk is never exceeded (sampled); files bigger than it stream into rcat",
  fn: () =>
    _world(
      "gen:chats=1,messages=30,files=10,file_size=2MB,forum=0,comments=0,left=0",
      async ({ tg, dir, config, env }) => {
        const want = await channelFiles(tg);
        const budget = 1600 * 1024;
        const big = [...want.values()].filter((f) => f.size > budget).length;
        assert.ok(big > 0 && big < want.size, `world has files above and below the budget (${big})`);
        let max = 0, samples = 0, running = true;
        const sampler = (async () => {
          while (running) {
            max = Math.max(max, await _bytesIn(`${dir}/tmp`));
            samples++;
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        const r = await runCli([...ARGS(dir, config), "--max-disk", "1600KB", "--concurrency", "4"], {
          env,
          ...T,
        })
          .finally(() => running = false);
        await sampler;
        assert.equal(r.code, 0, r.stderr);
        await assertMirror(`${dir}/srv/m`, want);
        assert.ok(max <= budget, `disk use ${max} above the budget ${budget}`);
        assert.ok(samples > 10 && max > 0, `sampled ${samples} times, max ${max}`);
        const streamed = r.events.filter((e) => e.type === "sync_stage" && e.stage === "streamed");
        assert.equal(streamed.length, big);
        assert.ok(
          r.events.some((e) => e.type === "pause" && e.reason === "disk_budget"),
          "downloads waited for space",
        );
      },
    ),
});

Deno.test({
  name: "sync: the served remote killed mid-transfer and restarted: retried, every file once",
  fn: () =>
    _world(
      "gen:chats=1,messages=30,files=6,file_size=1MB,forum=0,comments=0,left=0",
      async ({ tg, dir, srv, config, env }) => {
        const want = await channelFiles(tg);
        let killed = false, restarted = false;
        let killing: Promise<void> = Promise.resolve();
        const run = spawnSync([...ARGS(dir, config), "--upload-concurrency", "2"], env, (e) => {
          // killed once the server has part of an upload: observed progress, not a timer
          if (!killed && e.type === "sync_stage" && e.stage === "downloaded") {
            killed = true;
            killing = (async () => {
              for (;;) {
                const files = await Array.fromAsync(Deno.readDir(`${dir}/srv/m`)).catch(() => []);
                if (files.length > 0) break;
                await new Promise((r) => setTimeout(r, 5));
              }
              await srv.kill();
            })();
          }
          if (killed && !restarted && e.type === "retry") {
            restarted = true;
            killing = killing.then(() => srv.restart());
          }
        });
        const r = await run.done();
        await killing;
        assert.equal(r.code, 0, r.stderr.slice(-2000));
        assert.ok(restarted, "an upload failed and was retried");
        await assertMirror(`${dir}/srv/m`, want);
      },
      { bwlimit: "1M" },
    ),
});

Deno.test({
  name:
    "sync: a read-only remote ends the run (exit 1, one clear line); --max-transfer is a quota (exit 75), a rerun finishes",
  fn: async () => {
    await _world(
      "gen:chats=1,messages=20,files=4,file_size=1MB,forum=0,comments=0,left=0",
      async ({ dir, config, env }) => {
        const r = await runCli(ARGS(dir, config).slice(1), { env, ...T });
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /refused access.*Read only file system/);
        assert.equal(r.stderr.trim().split("\n").filter((l) => /^error/i.test(l)).length <= 1, true);
      },
      { readOnly: true },
    );
    await _world(
      "gen:chats=1,messages=20,files=4,file_size=1MB,forum=0,comments=0,left=0",
      async ({ tg, dir, config, env }) => {
        const want = await channelFiles(tg);
        const q = await runCli([...ARGS(dir, config), "--rclone-arg=--max-transfer=200K"], { env, ...T });
        assert.equal(q.code, 75, q.stderr);
        const err = q.events.find((e) => e.type === "error");
        assert.ok(
          err?.type === "error" && /Quota of net:m reached, run again/.test(err.error.message),
          JSON.stringify(err),
        );
        assert.equal(stateMessage(tg)?.status, "quota");
        const again = await runCli(ARGS(dir, config), { env, ...T });
        assert.equal(again.code, 0, again.stderr);
        await assertMirror(`${dir}/srv/m`, want);
        assert.equal(stateMessage(tg)?.status, "done");
      },
    );
  },
});

Deno.test({
  name:
    "sync: two --max-runtime runs without a shared progress store (CI): the second --resume finishes, each file once",
  fn: () =>
    _world(
      "gen:chats=1,messages=30,files=8,file_size=1MB,forum=0,comments=0,left=0",
      async ({ tg, dir, config, env }) => {
        const want = await channelFiles(tg);
        const first = await runCli(
          [...ARGS(dir, config), "--max-runtime", "6s", "--upload-concurrency", "1"],
          {
            env: { ...env, TGPIPE_KV: `${dir}/ci1.kv` },
            ...T,
          },
        );
        assert.equal(first.code, 75, first.stderr);
        const st1 = stateMessage(tg)!;
        assert.equal(st1.status, "stopped");
        const uploadedFirst = first.events.filter((e) =>
          e.type === "sync_stage" && e.stage === "uploaded"
        ).length;
        assert.ok(uploadedFirst < want.size, "the first run did not finish");
        const second = await runCli([...ARGS(dir, config), "--resume"], {
          env: { ...env, TGPIPE_KV: `${dir}/ci2.kv` },
          ...T,
        });
        assert.equal(second.code, 0, second.stderr);
        await assertMirror(`${dir}/srv/m`, want);
        const uploadedSecond =
          second.events.filter((e) => e.type === "sync_stage" && e.stage === "uploaded").length;
        // the second run plans only what is above the first's watermark, and uploads nothing twice
        assert.ok(uploadedFirst + uploadedSecond <= want.size, `${uploadedFirst} + ${uploadedSecond}`);
        const start = second.events.find((e) => e.type === "start");
        assert.ok(
          start?.type === "start" &&
            start.total_items ===
              want.size - [...want.keys()].filter((id) => id <= (st1.watermark as number)).length,
          JSON.stringify(start),
        );
        const st2 = stateMessage(tg)!;
        assert.equal(st2.status, "done");
        assert.equal(st2.watermark, Math.max(...want.keys()));
      },
      { bwlimit: "512k" },
    ),
});
