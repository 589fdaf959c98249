import assert from "node:assert/strict";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";
import { openProgressStore } from "../../lib/store/kv_store.ts";
import type { JobDetail, JobSummary } from "../../lib/app/jobs/status.ts";

async function withStore(
  fn: (kv: string, ids: { exp: string; sync: string }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-status-" });
  try {
    const kv = `${dir}/progress.kv`;
    const s = await openProgressStore(kv);
    let ids;
    try {
      const exp = (await s.startJob({ command: "export", key: "chat:1", args: "@chan -> out" })).job.id;
      await s.updateJob(exp, { items: 200, bytes: 1000 });
      await s.addProgress(exp, { itemsDone: 50, itemsFailed: 2, bytesDone: 250 });
      await s.setCursor(exp, "chat:1|message", { from: 0, last_id: 199, bytes: 9, lines: 150, done: false });
      await s.setCursor(exp, "ledger:document:561336362598", 2);
      await s.setCursor(exp, "ledger:photo:561336362599", 1);
      const sync = (await s.startJob({ command: "sync", key: "drive" })).job.id;
      await s.updateJob(sync, { state: "stopped" });
      await s.markItemDone(sync, "m1");
      ids = { exp, sync };
    } finally {
      s.close();
    }
    await fn(kv, ids);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function result<T>(r: RunCliResult, kind: string): T {
  const ev = r.events.find((e) => e.type === "result" && e.kind === kind);
  assert.ok(ev && ev.type === "result", `no ${kind} result (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  return ev.data as T;
}

function errorOf(r: RunCliResult): { code: string; message: string } {
  const ev = r.events.find((e) => e.type === "error");
  assert.ok(ev && ev.type === "error", `no error event: ${r.stdout}\n${r.stderr}`);
  return ev.error;
}

Deno.test("status --json lists jobs with state, progress, items and bytes; jobs ls is the same", async () => {
  await withStore(async (kv, ids) => {
    const [status, ls, human] = await Promise.all([
      runCli(["--kv", kv, "status", "--json"]),
      runCli(["--kv", kv, "--json", "jobs", "ls"]),
      runCli(["--kv", kv, "status"]),
    ]);
    assert.equal(status.code, 0, status.stderr);
    const jobs = result<{ jobs: JobSummary[] }>(status, "status").jobs;
    assert.deepEqual(jobs.map((j) => j.id).sort(), [ids.exp, ids.sync].sort());
    const exp = jobs.find((j) => j.id === ids.exp)!;
    assert.equal(exp.command, "export");
    assert.equal(exp.state, "running");
    assert.equal(exp.progress, 25);
    assert.deepEqual([exp.items, exp.items_done, exp.items_failed, exp.bytes, exp.bytes_done], [
      200,
      50,
      2,
      1000,
      250,
    ]);
    assert.equal(jobs.find((j) => j.id === ids.sync)?.state, "stopped");
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(result<{ jobs: JobSummary[] }>(ls, "status").jobs, jobs);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      /^ID\s+COMMAND\s+INPUT\s+OUTPUT\s+STATE\s+PROGRESS\s+ITEMS\s+BYTES\s+UPDATED$/m,
    );
    assert.match(
      human.stdout,
      new RegExp(`^${ids.exp}\\s+export\\s+@chan\\s+out\\s+running\\s+25%\\s+50/200 \\(2 failed\\)`, "m"),
    );
    assert.deepEqual([exp.input, exp.output], ["@chan", "out"]);
  });
});

Deno.test("status <job> shows one job in detail, by id or unique prefix; unknown job exits 2", async () => {
  await withStore(async (kv, ids) => {
    const [byId, byPrefix, unknown] = await Promise.all([
      runCli(["--kv", kv, "--json", "status", ids.exp]),
      runCli(["--kv", kv, "status", "sync"]),
      runCli(["--kv", kv, "--json", "status", "nope-123"]),
    ]);
    assert.equal(byId.code, 0, byId.stderr);
    const job = result<{ job: JobDetail }>(byId, "status").job;
    assert.equal(job.id, ids.exp);
    assert.equal(job.args, "@chan -> out");
    assert.deepEqual(job.cursors["chat:1|message"], {
      from: 0,
      last_id: 199,
      bytes: 9,
      lines: 150,
      done: false,
    });
    assert.equal(byPrefix.code, 0, byPrefix.stderr);
    assert.match(byPrefix.stdout, new RegExp(`^id\\s+${ids.sync}$`, "m"));
    assert.match(byPrefix.stdout, /^state\s+stopped$/m);
    const human = await runCli(["--kv", kv, "status", ids.exp]);
    assert.match(human.stdout, /^input\s+@chan$/m);
    assert.match(human.stdout, /^output\s+out$/m);
    assert.match(
      human.stdout,
      /^saved\s+chat 1 \(message layout\): up to message 199, 150 messages written; the next run continues after it$/m,
    );
    assert.match(human.stdout, /^saved\s+2 files with parts saved to resume from$/m);
    assert.doesNotMatch(human.stdout, /ledger|cursor|last_id/, "no internal keys");
    assert.equal(unknown.code, 2);
    assert.equal(errorOf(unknown).code, "NOT_FOUND");
  });
});

Deno.test("jobs rm removes a job and all its keys; removing it again exits 2", async () => {
  await withStore(async (kv, ids) => {
    const rm = await runCli(["--kv", kv, "--json", "jobs", "rm", ids.sync]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal(result<{ removed: string }>(rm, "jobs_rm").removed, ids.sync);
    const s = await openProgressStore(kv);
    try {
      assert.equal(await s.getJob(ids.sync), undefined);
      assert.equal(await s.isItemDone(ids.sync, "m1"), false);
      assert.ok(await s.getJob(ids.exp));
    } finally {
      s.close();
    }
    const again = await runCli(["--kv", kv, "jobs", "rm", ids.sync]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^error: No job "sync-[0-9a-f]{12}"/m);
  });
});

Deno.test("status on a store that does not exist lists nothing and creates no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-status-" });
  try {
    const kv = `${dir}/missing.kv`;
    const [list, rm] = await Promise.all([
      runCli(["--kv", kv, "--json", "status"]),
      runCli(["--kv", kv, "--json", "jobs", "rm", "export-000000000000"]),
    ]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(result<{ jobs: unknown[] }>(list, "status").jobs, []);
    assert.equal(rm.code, 2);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status refuses a store written by a newer tgpipe with a clear error", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe-status-" });
  try {
    const kv = `${dir}/new.kv`;
    const raw = await Deno.openKv(kv);
    await raw.set(["meta", "schema"], 999);
    raw.close();
    const r = await runCli(["--kv", kv, "--json", "status"]);
    assert.equal(r.code, 1);
    const err = errorOf(r);
    assert.equal(err.code, "STORE");
    assert.match(err.message, /schema v999, newer than this tgpipe/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
