/**
 * `deno task bench export [--small] [--json] [--shards N] [--no-peers]`: a generated channel on the
 * fake DC with 30 ms RTT; tgpipe export (a subprocess, --media none, the flags of `deno task
 * tgpipe`) against Telethon's iter_messages and GramJS's iterMessages writing JSON lines, in one
 * run. Reports messages/s, ratios, peak RSS at two sizes (10k and 100k; --small: 2k and 10k), and
 * two limits:
 * - the network limit, shards × 100 / RTT (the issue's definition);
 * - the machine limit: the lowest of the network limit, the fake DC's own ceiling (it serves from
 *   one thread: messages per CPU-second it spent) and what the cores allow for the CPU both
 *   processes spent per message (cores / (tgpipe CPU + fake DC CPU per message)).
 * The peers run at the first size (Telethon sleeps 1 s between requests past 3000 messages).
 * Outputs are removed at the end only: deleting 10k files just before the next run makes ext4
 * (without a journal, as here) scan the freed inodes on every file it creates.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const small = Deno.args.includes("--small");
const json = Deno.args.includes("--json");
const peers = !Deno.args.includes("--no-peers");
const shardsArg = Deno.args.indexOf("--shards");
const shards = shardsArg >= 0 ? Number(Deno.args[shardsArg + 1]) : 8;
const RTT = 30;
const sizes = small ? [2_000, 10_000] : [10_000, 100_000];
const repo = new URL("../", import.meta.url).pathname;
const cores = navigator.hardwareConcurrency ?? 1;
const log = (s: string) => !json && console.error(s);
// the V8 flags of `deno task tgpipe` (and of the compiled binary): measure what users run
const taskFlags = (JSON.parse(await Deno.readTextFile(`${repo}deno.json`)).tasks.tgpipe as string)
  .split(/\s+/).filter((a) => a.startsWith("--v8-flags"));

interface Run {
  messages: number;
  ms: number;
  rate: number;
  peak_rss_mb?: number;
  /** tgpipe's CPU (all threads), user and kernel, in ms. */
  cpu_user_ms?: number;
  cpu_sys_ms?: number;
  /** CPU the fake DC spent serving the run (ms). */
  fakedc_cpu_ms?: number;
}

/** utime and stime of a process in ms (Linux, 100 Hz clock ticks). */
function _cpu(pid: number | "self"): { user: number; sys: number } {
  const f = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1].split(" ");
  return { user: Number(f[11]) * 10, sys: Number(f[12]) * 10 };
}

async function measure(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ out: string; rss: number; ms: number; user: number; sys: number; fakedc: number }> {
  const t = performance.now();
  const self0 = _cpu("self");
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped", stdin: "null" }).spawn();
  let rss = 0;
  let cpu = { user: 0, sys: 0 };
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) rss = Math.max(rss, Number(m[1]) / 1024);
      cpu = _cpu(child.pid);
    } catch {
      // the process is gone
    }
  }, 50);
  const out = await child.output();
  clearInterval(poll);
  const ms = performance.now() - t;
  const self1 = _cpu("self");
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(" ")} failed (${out.code}): ${dec.decode(out.stderr).slice(-2000)}`,
    );
  }
  // this process hosts the fake DC: its CPU during the run is the fake DC's (polling is noise)
  const fakedc = self1.user + self1.sys - self0.user - self0.sys;
  return { out: dec.decode(out.stdout), rss, ms, user: cpu.user, sys: cpu.sys, fakedc };
}

const results: Record<number, { tgpipe: Run; telethon?: Run; gramjs?: Run }> = {};
const tmps: string[] = [];
try {
  for (const n of sizes) {
    const tg = await startFakeTelegram({
      world: `gen:chats=1,messages=${n},files=0,forum=0,comments=0,left=0`,
      basePort: 0,
      faults: `rtt=${RTT}`,
    });
    const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_export_" });
    tmps.push(tmp);
    try {
      const env = { ...Deno.env.toObject(), ...tg.env, TGPIPE_KV: `${tmp}/p.kv`, NO_COLOR: "1" };
      log(`${n} messages: tgpipe export --shards ${shards} ...`);
      const r = await measure(Deno.execPath(), [
        "run",
        "-A",
        "--unstable-kv",
        ...taskFlags,
        "--config",
        `${repo}deno.json`,
        `${repo}main.ts`,
        "--json",
        "export",
        "@gen_channel_0",
        "--out",
        `${tmp}/out`,
        "--media",
        "none",
        "--shards",
        String(shards),
      ], env);
      const res = JSON.parse(r.out.trim().split("\n").find((l) => l.includes('"type":"result"'))!).data;
      // elapsed_ms of the export itself (connect to last note), as the peers time their loops
      results[n] = {
        tgpipe: {
          messages: res.messages,
          ms: res.elapsed_ms,
          rate: res.messages / (res.elapsed_ms / 1000),
          peak_rss_mb: Math.round(r.rss),
          cpu_user_ms: r.user,
          cpu_sys_ms: r.sys,
          fakedc_cpu_ms: r.fakedc,
        },
      };
      // Telethon sleeps between history requests past 3000 messages (its wait_time): ~100 msg/s,
      // so the peers run at the first size only; ratios compare the same size
      if (peers && n === sizes[0]) {
        log(`${n} messages: Telethon iter_messages ...`);
        const cfg = {
          pem: tg.rsa.pem,
          fingerprint: tg.rsa.fingerprint,
          session: tg.sessionFor(),
          chat: "gen_channel_0",
          out: `${tmp}/telethon.jsonl`,
        };
        const t = JSON.parse(
          (await measure(
            "/usr/bin/python3",
            [`${repo}scripts/peers/telethon_export.py`, JSON.stringify(cfg)],
            env,
          )).out,
        );
        results[n].telethon = { messages: t.messages, ms: t.ms, rate: t.messages / (t.ms / 1000) };
        log(`${n} messages: GramJS iterMessages ...`);
        const gcfg = {
          session: tg.sessionFor(),
          endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
          chat: "gen_channel_0",
          out: `${tmp}/gramjs.jsonl`,
        };
        const g = JSON.parse(
          (await measure(Deno.execPath(), [
            "run",
            "-A",
            "--config",
            `${repo}deno.json`,
            `${repo}scripts/peers/gramjs_export.ts`,
            JSON.stringify(gcfg),
          ], env)).out,
        );
        results[n].gramjs = { messages: g.messages, ms: g.ms, rate: g.messages / (g.ms / 1000) };
      }
    } finally {
      await tg.close();
    }
  }
} finally {
  for (const tmp of tmps) await Deno.remove(tmp, { recursive: true });
}

const first = results[sizes[0]];
const last = results[sizes.at(-1)!];
const network = shards * 100 / (RTT / 1000);
/** The machine limit of one run (see the module comment), with its parts. */
function machineLimit(run: Run) {
  const per = (ms: number) => ms / run.messages / 1000; // CPU seconds per message
  const tgCpu = per(run.cpu_user_ms! + run.cpu_sys_ms!);
  const fakeCpu = per(run.fakedc_cpu_ms!);
  const fakedcCeiling = 1 / fakeCpu;
  const coresCeiling = cores / (tgCpu + fakeCpu);
  return {
    tgpipe_cpu_us_per_msg: Math.round(tgCpu * 1e6),
    tgpipe_user_us_per_msg: Math.round(per(run.cpu_user_ms!) * 1e6),
    tgpipe_sys_us_per_msg: Math.round(per(run.cpu_sys_ms!) * 1e6),
    fakedc_cpu_us_per_msg: Math.round(fakeCpu * 1e6),
    fakedc_ceiling_msgs_per_s: Math.round(fakedcCeiling),
    cores_ceiling_msgs_per_s: Math.round(coresCeiling),
    limit_msgs_per_s: Math.round(Math.min(network, fakedcCeiling, coresCeiling)),
  };
}
const mFirst = machineLimit(first.tgpipe);
const mLast = machineLimit(last.tgpipe);
const summary = {
  bench: "export",
  rtt_ms: RTT,
  shards,
  cores,
  sizes,
  tgpipe_msgs_per_s: Object.fromEntries(sizes.map((n) => [n, Math.round(results[n].tgpipe.rate)])),
  telethon_msgs_per_s: first.telethon ? Math.round(first.telethon.rate) : null,
  gramjs_msgs_per_s: first.gramjs ? Math.round(first.gramjs.rate) : null,
  ratio_vs_telethon: first.telethon ? +(first.tgpipe.rate / first.telethon.rate).toFixed(2) : null,
  ratio_vs_gramjs: first.gramjs ? +(first.tgpipe.rate / first.gramjs.rate).toFixed(2) : null,
  /** The issue's limit: shards × 100 / RTT. */
  network_limit_msgs_per_s: Math.round(network),
  fraction_of_network_limit: +(last.tgpipe.rate / network).toFixed(3),
  /** The lowest of the network limit, the fake DC's ceiling and the cores' ceiling (largest size). */
  machine_limit: mLast,
  fraction_of_machine_limit: +(last.tgpipe.rate / mLast.limit_msgs_per_s).toFixed(3),
  machine_limit_first_size: mFirst,
  peak_rss_mb: Object.fromEntries(sizes.map((n) => [n, results[n].tgpipe.peak_rss_mb])),
  rss_growth: +(last.tgpipe.peak_rss_mb! / first.tgpipe.peak_rss_mb!).toFixed(2),
  v8_flags: taskFlags,
};
if (json) console.log(JSON.stringify(summary));
else {
  for (const n of sizes) {
    const r = results[n];
    console.log(
      `${n} messages: tgpipe ${
        Math.round(r.tgpipe.rate)
      } msg/s (${r.tgpipe.ms} ms, peak RSS ${r.tgpipe.peak_rss_mb} MB, ` +
        `CPU ${r.tgpipe.cpu_user_ms} ms user + ${r.tgpipe.cpu_sys_ms} ms kernel; fake DC ${r.tgpipe.fakedc_cpu_ms} ms)` +
        (r.telethon ? `, Telethon ${Math.round(r.telethon.rate)} msg/s` : "") +
        (r.gramjs ? `, GramJS ${Math.round(r.gramjs.rate)} msg/s` : ""),
    );
  }
  console.log(
    `network limit ${summary.network_limit_msgs_per_s} msg/s (${shards} shards × 100 / ${RTT} ms): tgpipe at ${
      (summary.fraction_of_network_limit * 100).toFixed(0)
    }% of it at ${sizes.at(-1)} messages`,
  );
  console.log(
    `machine limit ${mLast.limit_msgs_per_s} msg/s = min(network, fake DC ceiling ${mLast.fakedc_ceiling_msgs_per_s} ` +
      `(${mLast.fakedc_cpu_us_per_msg} µs/msg on one thread), ${cores} cores / (tgpipe ${mLast.tgpipe_cpu_us_per_msg} µs ` +
      `[${mLast.tgpipe_user_us_per_msg} user + ${mLast.tgpipe_sys_us_per_msg} kernel] + fake DC ${mLast.fakedc_cpu_us_per_msg} µs) ` +
      `= ${mLast.cores_ceiling_msgs_per_s}): tgpipe at ${
        (summary.fraction_of_machine_limit * 100).toFixed(0)
      }% of it`,
  );
  console.log(
    `${summary.ratio_vs_telethon ?? "-"}× Telethon, ${summary.ratio_vs_gramjs ?? "-"}× GramJS (at ${
      sizes[0]
    }); ` +
      `peak RSS ${
        sizes.map((n) => `${results[n].tgpipe.peak_rss_mb} MB at ${n}`).join(", ")
      } (×${summary.rss_growth})`,
  );
}
