/**
 * `--max-runtime` end to end: a run whose work takes clearly longer than its budget (the fake DC's
 * round trips and bandwidth cap set a floor on its duration, whatever the machine's speed) stops
 * with exit 75 and a `max_runtime` reason, leaves no `.part` in the output, and the same command
 * then finishes with output identical to an uninterrupted run.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { readTree, treeDiff } from "./_export_helpers.ts";

const T = { timeoutMs: 240_000 };

function _stoppedByBudget(r: { code: number; stderr: string; events: Array<Record<string, unknown>> }): void {
  assert.equal(r.code, 75, r.stderr);
  const last = r.events.at(-1) as { type: string; error?: { code: string; data?: { reason?: string } } };
  assert.equal(last.type, "error");
  assert.deepEqual([last.error?.code, last.error?.data?.reason], ["STOPPED", "max_runtime"]);
  assert.equal(r.events.some((e) => e.type === "done"), false, "a stopped run does not report done");
}

async function _binaries(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(`${dir}/${rel}`)) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(p);
      else {
        const hash = await crypto.subtle.digest("SHA-256", await Deno.readFile(`${dir}/${p}`));
        out.set(p, Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join(""));
      }
    }
  };
  await walk("");
  return out;
}

Deno.test({
  name: "download --max-runtime: exit 75 when the budget ends, then the same command completes identically",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // 6 files × 2 MB through 1 MB/s connections: at least ~2 s of transfer, budget 1 s
    const world = "gen:chats=1,messages=30,files=6,file_size=2MB,forum=0,comments=0,left=0";
    const tg = await startFakeTelegram({ world, basePort: 0, faults: "rtt=20,bw=1M" });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_budget_dl_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const args = [
      "--json",
      "download",
      "@gen_channel_0",
      "--connections",
      "2",
      "--template",
      "{id}_{filename}",
    ];
    try {
      const ref = await runCli([...args, "--out", `${dir}/ref`, "--kv", `${dir}/ref.kv`], { env, ...T });
      assert.equal(ref.code, 0, ref.stderr);
      const stopped = await runCli([...args, "--out", `${dir}/o`, "--max-runtime", "1s"], { env, ...T });
      _stoppedByBudget(stopped);
      const st = await runCli(["--json", "status"], { env, ...T });
      const jobs = (st.events.find((e) =>
        e.type === "result"
      ) as { data: { jobs: Array<Record<string, unknown>> } })
        .data.jobs;
      assert.equal(jobs.find((j) => String(j.args).includes(`${dir}/o`))?.state, "stopped");
      const again = await runCli([...args, "--out", `${dir}/o`, "--max-runtime", "10m"], { env, ...T });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(treeDiff(await _binaries(`${dir}/ref`), await _binaries(`${dir}/o`)), []);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "export --max-runtime: exit 75 mid-chat, then the same command ends with the uninterrupted output",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // 4000 messages in one shard at 100 ms per round trip: at least 40 pages = 4 s, budget 1 s
    const world = "gen:chats=1,messages=4000,files=0,forum=0,comments=0,left=0";
    const tg = await startFakeTelegram({ world, basePort: 0, faults: "rtt=100" });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_budget_ex_" });
    const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv` };
    const args = ["--json", "export", "@gen_channel_0", "--media", "none", "--shards", "1"];
    try {
      const ref = await runCli([...args, "--out", `${dir}/ref`, "--kv", `${dir}/ref.kv`], { env, ...T });
      assert.equal(ref.code, 0, ref.stderr);
      const stopped = await runCli([...args, "--out", `${dir}/o`, "--max-runtime", "1s"], { env, ...T });
      _stoppedByBudget(stopped);
      const again = await runCli([...args, "--out", `${dir}/o`], { env, ...T });
      assert.equal(again.code, 0, again.stderr);
      // (how far the first run got depends on a busy machine: a budget that ends before the first
      // page is a stop like any other; resume itself is covered by the kill -9 and Ctrl-C tests)
      assert.deepEqual(treeDiff(await readTree(`${dir}/ref`), await readTree(`${dir}/o`)), []);
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("--max-runtime refuses what is not a duration, on every long command (exit 2)", async () => {
  for (
    const cmd of [["export", "@x", "--out", "o"], ["download", "@x", "--out", "o"], ["transcribe", "a.ogg"]]
  ) {
    for (const bad of ["soon", "0", "5x", "-3m"]) {
      const r = await runCli([...cmd, "--max-runtime", bad]);
      assert.equal(r.code, 2, `${cmd[0]} --max-runtime ${bad}: ${r.stderr}`);
      assert.match(r.stderr, /--max-runtime/);
    }
  }
  const imp = await runCli(["import", "tdesktop", "/nonexistent", "--out", "o", "--max-runtime", "1h"]);
  assert.equal(imp.code, 2, "a valid budget passes; the missing export is the error");
});
