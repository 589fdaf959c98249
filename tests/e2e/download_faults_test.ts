/**
 * `tgpipe download` under trouble, end to end against the fake DC: injected faults (flood waits,
 * disconnects, timeouts, stalls, FILE_MIGRATE, expiring file references), kill -9 at seeded
 * random moments then resume, Ctrl-C (exit 75, then resume), a full disk (exit 3) and an unwritable --out (2).
 */
import assert from "node:assert/strict";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { seededRng } from "../fakedc/world/rand.ts";
import { runCli } from "../_helpers/run_cli.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { spawnWithEvents } from "./_export_helpers.ts";
import { channelBlobs } from "./_sync_helpers.ts";

const WORLD = "gen:chats=1,messages=30,files=5,file_size=4MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 120_000 };
const CHAT = "https://t.me/gen_channel_0";

/** Asserts `out` holds exactly the expected files (template {id}), byte for byte, and no partial file. */
async function _assertTree(out: string, want: Map<number, Uint8Array>): Promise<void> {
  const names: string[] = [];
  for await (const e of Deno.readDir(out)) names.push(e.name);
  assert.ok(!names.some((n) => n.endsWith(".part")), `partial files left: ${names}`);
  assert.equal(names.length, want.size, names.join(","));
  for (const [id, bytes] of want) {
    const got = await Deno.readFile(`${out}/${id}`);
    assert.equal(got.length, bytes.length, `size of ${id}`);
    assert.ok(got.every((b, i) => b === bytes[i]), `${id} differs`);
  }
}

function _env(tg: FakeTelegram, dir: string): Record<string, string> {
  return { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
}

const DL = (
  out: string,
  ...more: string[]
) => ["--json", "dl", CHAT, "--template", "{id}", "--out", out, ...more];

/**
 * Spawns the CLI (like runCli) so a test can signal it; stdout lines go to `onEvent`. `done`
 * resolves with the exit code once stdout closed; `exited` tells an event handler the run is over.
 */
/**
 * Runs the CLI and sends `signals` to it from inside the event handler as soon as `when` holds:
 * the trigger is the run's own progress, never a clock, and a run that ends first does not hang
 * the test. Returns the exit code and whether the signals were sent.
 */
async function _signalWhen(
  args: string[],
  env: Record<string, string>,
  when: (e: TgpipeEvent) => boolean,
  signals: Deno.Signal[],
): Promise<{ code: number; fired: boolean }> {
  let fired = false;
  const run = spawnWithEvents(args, env, (e) => {
    if (fired || !when(e)) return;
    fired = true;
    for (const sig of signals) {
      try {
        run.child.kill(sig);
      } catch { /* already gone */ }
    }
  });
  return { code: await run.done(), fired };
}

/** A `when` for _signalWhen: true once the files' reported bytes reach `bytes` in total. */
function _bytesReached(bytes: number): (e: TgpipeEvent) => boolean {
  const perItem = new Map<string, number>();
  let sum = 0;
  return (e) => {
    if (e.type !== "item_progress") return false;
    sum += e.done_bytes - (perItem.get(e.item) ?? 0);
    perItem.set(e.item, e.done_bytes);
    return sum >= bytes;
  };
}

Deno.test({
  name: "download: every file completes and verifies under flood waits, drops, timeouts, stalls, migrations",
  fn: async () => {
    // An injected stall never ends (10 min), so the stall limit only has to exceed a real part's
    // time on a loaded machine. It was a 3 s stall against a 2 s limit: a race any part lost
    // that took 2 s, and on a busy 2-core machine all of them did, every attempt.
    const faults = "rtt=5,flood=0.05,flood_s=1,disconnect=0.05,timeout=0.05,stall=0.05,stall_ms=600000," +
      "migrate=0.05,file_ref_ttl=15";
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults, seed: 7 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dlf_" });
    try {
      const r = await runCli(DL(`${dir}/o`, "--stall-timeout", "8", "--part-concurrency", "4"), {
        env: _env(tg, dir),
        ...T,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
      await _assertTree(`${dir}/o`, await channelBlobs(tg));
      const s = tg.stats;
      assert.ok(s.faultDisconnects + s.faultTimeouts > 0, JSON.stringify(s));
      assert.ok(r.events.some((e) => e.type === "retry" || e.type === "pause"), "faults were seen");
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "download: kill -9 at 10 seeded moments, then resume: identical files, refetch <= parts in flight",
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rtt=10,bw=16M" });
    const want = await channelBlobs(tg);
    const total = [...want.values()].reduce((n, b) => n + b.length, 0);
    const rng = seededRng(2024);
    // files at once x parts per file x 1 MB: what may be in flight when the process dies
    const inflight = 2 * 4 * (1 << 20);
    try {
      for (let trial = 0; trial < 10; trial++) {
        const dir = await Deno.makeTempDir({ prefix: "tgpipe_dlk_" });
        try {
          const args = DL(`${dir}/o`, "--concurrency", "2", "--part-concurrency", "4");
          const before = tg.stats.getFileBytes;
          // killed at a seeded point of the work (bytes reported done), not of the clock
          const at = Math.max(1, Math.floor(rng() * 0.9 * total));
          const killed = await _signalWhen(args, _env(tg, dir), _bytesReached(at), ["SIGKILL"]);
          assert.ok(
            killed.fired,
            `trial ${trial}: the run ended (${killed.code}) before ${at} bytes were done`,
          );
          const r = await runCli(args, { env: _env(tg, dir), ...T });
          assert.equal(r.code, 0, `trial ${trial}: ${r.stderr}`);
          await _assertTree(`${dir}/o`, want);
          const again = tg.stats.getFileBytes - before - total;
          assert.ok(again <= inflight, `trial ${trial}: fetched ${again} bytes again`);
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      }
    } finally {
      await tg.close();
    }
  },
});

Deno.test({
  name: "download: Ctrl-C stops with exit 75 and the rerun completes; a second Ctrl-C stops at once",
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0, faults: "rtt=10,bw=4M" });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dli_" });
    try {
      const args = DL(`${dir}/o`);
      const progress = (e: TgpipeEvent) => e.type === "item_progress";
      const once = await _signalWhen(args, _env(tg, dir), progress, ["SIGINT"]);
      assert.deepEqual(once, { code: 75, fired: true });
      const r = await runCli(args, { env: _env(tg, dir), ...T });
      assert.equal(r.code, 0, r.stderr);
      await _assertTree(`${dir}/o`, await channelBlobs(tg));

      // twice: the second signal ends the process without waiting for anything
      await Deno.remove(`${dir}/o`, { recursive: true });
      // From the first progress on, every getFile stalls for 10 minutes, so anything short of an
      // immediate exit takes at least the 30 s stall timeout: the bound below has that margin on
      // any machine, and needs no guess at how fast this one is.
      const stallEverything = (e: TgpipeEvent) => {
        if (e.type !== "item_progress") return false;
        Object.assign(tg.faults, { stallP: 1, stallMs: 600_000 });
        t0 = performance.now();
        return true;
      };
      let t0 = 0;
      const twice = await _signalWhen(DL(`${dir}/o`, "--limit", "5"), _env(tg, dir), stallEverything, [
        "SIGINT",
        "SIGINT",
      ]);
      const ms = performance.now() - t0;
      assert.deepEqual(twice, { code: 75, fired: true });
      assert.ok(ms < 15_000, `the second Ctrl-C took ${ms} ms, as long as waiting for a stalled part`);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

async function _tmpfs(path: string): Promise<boolean> {
  await Deno.mkdir(path, { recursive: true });
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=2m", "tmpfs", path],
    stderr: "null",
  })
    .output().catch(() => undefined);
  return r?.success === true;
}

Deno.test({
  name:
    "download: a full disk fails each item clearly (exit 3), nothing shown as complete; an unwritable --out is exit 2",
  fn: async (t) => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dln_" });
    const want = await channelBlobs(tg);
    const big = [...want].filter(([, b]) => b.length > 2 << 20).map(([id]) => id);
    try {
      const mounted = await _tmpfs(`${dir}/small`);
      await t.step({
        name: "no space left (2 MB tmpfs)",
        ignore: !mounted,
        fn: async () => {
          const links = big.map((id) => `${CHAT}/${id}`);
          const r = await runCli(
            ["--json", "dl", ...links, "--template", "{id}", "--out", `${dir}/small/o`],
            {
              env: _env(tg, dir),
              ...T,
            },
          );
          assert.equal(r.code, 3, r.stderr);
          const failed = r.events.filter((e) => e.type === "item_failed");
          assert.ok(
            failed.length >= 1 && failed.every((e) => e.type === "item_failed" && e.error.code === "ENOSPC"),
          );
          for (const id of big) {
            const s = await Deno.stat(`${dir}/small/o/${id}`).catch(() => undefined);
            if (s) assert.equal(s.size, want.get(id)!.length, `${id} is there only when complete`);
          }
        },
      });
      await t.step("unwritable --out (a path under a regular file): exit 2 before any request", async () => {
        await Deno.writeTextFile(`${dir}/file`, "x");
        const rpcs = tg.stats.rpcs;
        const r = await runCli(DL(`${dir}/file/o`, "--limit", "2"), { env: _env(tg, dir), ...T });
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.events.filter((e) => e.type === "error").length, 1);
        assert.equal(r.events.filter((e) => e.type === "item_failed").length, 0);
        assert.equal(tg.stats.rpcs, rpcs, "refused before connecting");
      });
      if (mounted) await new Deno.Command("umount", { args: [`${dir}/small`] }).output();
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
