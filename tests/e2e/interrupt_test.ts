/**
 * Ctrl-C through a real process (main.ts's signal handlers): the first SIGINT stops gracefully
 * with exit 75 and keeps what was done, a second one stops at once; the rerun resumes.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { parseEventLine, readEventLines } from "../_helpers/event_lines.ts";
import { readTree, runTgpipe, spawnTgpipe, treeDiff } from "./_export_helpers.ts";

const WORLD = "gen:chats=1,messages=1500,files=6,file_size=96KB";
const CHANNEL = "@gen_channel_0";

type Ev = { type: string; [k: string]: unknown };

/**
 * Starts tgpipe --json, sends `signals` SIGINTs (gapMs apart) once `ready` saw an event (calling
 * `onReady` first), and returns the exit code, every event (each validated) and ms from the first
 * signal to exit.
 */
async function _interrupt(
  args: string[],
  env: Record<string, string>,
  opts: { ready: (ev: Ev, seen: Ev[]) => boolean; signals: number; gapMs?: number; onReady?: () => void },
): Promise<{ code: number; events: Ev[]; stopMs: number; stderr: string }> {
  const child = spawnTgpipe(["--json", ...args], env);
  const events: Ev[] = [];
  const stderr = new Response(child.stderr).text();
  let signalledAt = 0;
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    await readEventLines(child.stdout, async (e) => {
      const ev = e as Ev;
      events.push(ev);
      if (signalledAt === 0 && opts.ready(ev, events)) {
        opts.onReady?.();
        signalledAt = performance.now();
        child.kill("SIGINT");
        for (let i = 1; i < opts.signals; i++) {
          await new Promise((r) => setTimeout(r, opts.gapMs ?? 20));
          try {
            child.kill("SIGINT");
          } catch {
            // already gone: the first signal was enough
          }
        }
      }
    });
    const { code } = await child.status;
    assert.ok(signalledAt > 0, `never became ready; events: ${events.map((e) => e.type).join(",")}`);
    return { code, events, stopMs: performance.now() - signalledAt, stderr: await stderr };
  } finally {
    clearTimeout(watchdog);
  }
}

// deno-lint-ignore no-explicit-any
function _data(events: ReadonlyArray<any>): unknown {
  const result = events.find((e) => e.type === "result");
  assert.ok(result, `no result event in ${JSON.stringify(events)}`);
  return result.data;
}

/**
 * From now on the DC answers nothing, so a stop cannot have waited for work to finish: it can only
 * have cut it off, and anything slower would wait for the 60 s call timeout. That is the margin
 * the stop-time bounds below rely on, not the speed of this machine.
 */
function _silence(tg: Awaited<ReturnType<typeof startFakeTelegram>>): () => void {
  return () => Object.assign(tg.faults, { timeoutP: 1 });
}

/** The DC answers again (for the rerun). */
function _unsilence(tg: Awaited<ReturnType<typeof startFakeTelegram>>): void {
  Object.assign(tg.faults, { timeoutP: 0 });
}

/** Pages written that brought media with them: the chat's media bytes grew this many times. */
function _mediaDone(seen: Ev[]): number {
  const bytes = seen.filter((e) => e.type === "item_progress" && Number(e.done_bytes) > 0).map((e) =>
    e.done_bytes
  );
  return new Set(bytes).size;
}

async function _withDc(
  faults: string,
  fn: (tg: Awaited<ReturnType<typeof startFakeTelegram>>, tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_sigint_" });
  const tg = await startFakeTelegram({ world: WORLD, faults, seed: 7 });
  try {
    await fn(tg, tmp);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

Deno.test("export: Ctrl-C exits 75 keeping its checkpoints; status shows the job; the rerun resumes to the same output", async () => {
  await _withDc("rtt=60", async (tg, tmp) => {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const secrets = [tg.env.TGPIPE_SESSION, tg.env.TGPIPE_API_HASH];
    const ref = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/ref`, "--shards", "2"], env);
    assert.equal(ref.code, 0, ref.stderr);

    const args = ["export", CHANNEL, "--out", `${tmp}/o`, "--shards", "2"];
    const stopped = await _interrupt(args, env, {
      ready: (_e, seen) => _mediaDone(seen) >= 2,
      signals: 1,
      onReady: _silence(tg),
    });
    _unsilence(tg);
    assert.equal(stopped.code, 75, stopped.stderr);
    const last = stopped.events.at(-1)!;
    assert.equal(last.type, "error");
    assert.deepEqual(
      { code: (last.error as Ev).code, reason: ((last.error as Ev).data as Ev).reason, exit: last.exit_code },
      { code: "STOPPED", reason: "signal", exit: 75 },
    );
    assert.ok(stopped.stopMs < 20_000, `graceful stop took ${stopped.stopMs} ms`);
    assert.equal(stopped.stderr.includes("    at "), false, "no stack trace without --verbose");

    // the stopped job is visible with its state, totals and saved shard cursors
    const st = await runCli(["--json", "status"], { env, secrets });
    assert.equal(st.code, 0, st.stderr);
    const jobs = (_data(st.events) as { jobs: Ev[] }).jobs;
    const job = jobs.find((j) => String(j.args).includes(`${tmp}/o`))!;
    assert.ok(job, JSON.stringify(jobs));
    assert.deepEqual([job.state, job.items, job.items_done], ["stopped", 1, 0]);
    const detail = await runCli(["--json", "status", String(job.id)], { env, secrets });
    const cursors = (_data(detail.events) as { job: { cursors: Record<string, unknown> } }).job.cursors;
    assert.ok(Object.keys(cursors).length > 0, "checkpoints were saved before exiting");

    // the rerun fetches only what the first run had not saved, and ends like an uninterrupted run
    const again = await runTgpipe(["--json", ...args], env);
    assert.equal(again.code, 0, again.stderr);
    const result = JSON.parse(again.stdout.split("\n").find((l) => l.includes('"result"'))!).data;
    assert.equal(result.chats[0].messages, 1500);
    assert.ok(result.chats[0].fetched < 1500, `resume refetched ${result.chats[0].fetched} of 1500 messages`);
    assert.deepEqual(treeDiff(await readTree(`${tmp}/ref`), await readTree(`${tmp}/o`)), []);

    const done = await runCli(["--json", "status", String(job.id)], { env, secrets });
    const dj = (_data(done.events) as { job: Ev }).job;
    assert.deepEqual([dj.state, dj.items, dj.items_done, dj.progress], ["done", 1, 1, 100]);
    const rm = await runCli(["jobs", "rm", String(job.id)], { env, secrets });
    assert.equal(rm.code, 0, rm.stderr);
    const after = await runCli(["--json", "status"], { env, secrets });
    const ids = (_data(after.events) as { jobs: Ev[] }).jobs.map((j) => j.id);
    assert.ok(!ids.includes(job.id), ids.join(","));
  });
});

Deno.test("export: a second Ctrl-C stops at once with exit 75 and the rerun still completes", async () => {
  await _withDc("rtt=60", async (tg, tmp) => {
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const args = ["export", CHANNEL, "--out", `${tmp}/o`];
    const r = await _interrupt(args, env, {
      ready: (_e, seen) => _mediaDone(seen) >= 1,
      signals: 2,
      gapMs: 5,
      onReady: _silence(tg),
    });
    _unsilence(tg);
    assert.equal(r.code, 75, r.stderr);
    assert.ok(r.stopMs < 20_000, `stop took ${r.stopMs} ms`);
    assert.equal(r.stderr.includes("    at "), false);
    const again = await runTgpipe(["export", CHANNEL, "--out", `${tmp}/o`], env);
    assert.equal(again.code, 0, again.stderr);
    const jsonl = (await Deno.readTextFile(`${tmp}/o/chats/1700000000/messages.jsonl`)).trim().split("\n");
    assert.equal(jsonl.length, 1500);
    assert.equal(new Set(jsonl.map((l) => JSON.parse(l).id)).size, 1500);
  });
});

Deno.test("whoami: Ctrl-C while Telegram does not answer exits 75 at once", async () => {
  const lines: string[] = [];
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_sigint_" });
  const tg = await startFakeTelegram({
    world: "gen:chats=1,messages=5",
    faults: "timeout=1",
    log: (l) => lines.push(l),
  });
  try {
    const child = spawnTgpipe(["--json", "whoami"], { ...tg.env, TGPIPE_KV: `${tmp}/p.kv`, HOME: tmp });
    // ready once the client's first call is waiting on the DC (which never answers it); a client
    // that exits first ends the wait, and the 60 s guard only names this step if it hangs
    let exited = false;
    child.status.then(() => exited = true);
    const t = performance.now();
    while (tg.stats.faultTimeouts === 0 && !exited && performance.now() - t < 60_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(tg.stats.faultTimeouts > 0, `the client never called (exited: ${exited}): ${lines.join("\n")}`);
    const t0 = performance.now();
    child.kill("SIGINT");
    const out = await child.output();
    const ms = performance.now() - t0;
    assert.equal(out.code, 75);
    const ev = parseEventLine(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.ok(ev.type === "error", `the last line is an error event: ${JSON.stringify(ev)}`);
    assert.equal(ev.error.code, "STOPPED");
    // the DC never answers: anything but an immediate stop waits for the 60 s call timeout
    assert.ok(ms < 20_000, `stop took ${ms} ms`);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("import tdesktop: Ctrl-C exits 75 with no partial note; the rerun completes", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_sigint_" });
  try {
    const n = 20_000;
    const messages = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      type: "message",
      date: "2021-01-01T00:00:00",
      date_unixtime: String(1609459200 + i * 60),
      from: "Ann",
      from_id: "user1",
      text: [`Message ${i + 1} is `, { type: "bold", text: "bold" }],
      text_entities: [{ type: "plain", text: `Message ${i + 1} is ` }, { type: "bold", text: "bold" }],
    }));
    await Deno.mkdir(`${tmp}/in`);
    await Deno.writeTextFile(
      `${tmp}/in/result.json`,
      JSON.stringify({ name: "Big", type: "personal_chat", id: 42, messages }),
    );
    const env = { TGPIPE_KV: `${tmp}/p.kv`, HOME: tmp };
    const args = ["import", "tdesktop", `${tmp}/in`, "--out", `${tmp}/o`];
    const r = await _interrupt(args, env, { ready: (e) => e.type === "log", signals: 1 });
    assert.equal(r.code, 75, r.stderr);
    assert.equal(r.events.at(-1)!.type, "error");
    assert.equal((r.events.at(-1)!.error as Ev).code, "STOPPED");
    assert.ok(!r.events.some((e) => e.type === "done"), "a stopped run does not report done");
    const partial = await readTree(`${tmp}/o`);
    const notes = [...partial.keys()].filter((k) => k.includes("/notes/"));
    assert.ok(notes.length > 0 && notes.length < n, `${notes.length} notes after the stop`);
    assert.deepEqual([...partial.keys()].filter((k) => k.endsWith(".part")), []);
    for (const k of notes) assert.match(partial.get(k)!, /\*\*bold\*\*/, `${k} is complete`);

    const again = await runTgpipe(args, env);
    assert.equal(again.code, 0, again.stderr);
    const full = await readTree(`${tmp}/o`);
    assert.equal([...full.keys()].filter((k) => k.includes("/notes/")).length, n);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
