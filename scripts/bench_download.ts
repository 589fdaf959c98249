/**
 * `deno task bench download [--small] [--json] [--only tgpipe,gramjs,telethon] [--before DIR] [--repeat N]
 * [-- <tgpipe dl flags>]`: one fake DC (30 ms RTT, 8 MB/s per connection) serving one big file plus many
 * ~10 MB files; tgpipe (the CLI as a subprocess) against GramJS's downloadMedia and Telethon's
 * download_media, each looping over the same messages. Reports MB/s, ratios, the limit (min of
 * connections x cap and the CPU rate of client + fake DC on this machine's cores), client CPU-seconds
 * per GB and peak RSS (from /usr/bin/time -v). --json prints one JSON line. `--before DIR` also runs
 * the tgpipe checked out in DIR (another commit, with its node_modules) right before this one against
 * the same fake DC, as client "before"; `--repeat N` runs the clients N times, interleaved, and reports
 * each tgpipe run's share of its own limit and the medians: before and after in one run of a noisy machine.
 * Each client keeps one data dir over the rounds, as a cron job does: the first round is "cold" (tgpipe
 * makes the file DC's key and imports its authorization there), later ones "warm" (the stored key).
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import {
  type BenchRun,
  benchRun,
  type BenchSetup,
  benchSummary,
  printBenchSummary,
  runTimed,
} from "./_bench_proc.ts";

const argv = [...Deno.args];
const dash = argv.indexOf("--");
const extra = dash >= 0 ? argv.splice(dash).slice(1) : [];
const small = argv.includes("--small");
const json = argv.includes("--json");
const onlyAt = argv.indexOf("--only");
const beforeAt = argv.indexOf("--before");
const beforeRoot = beforeAt >= 0 ? `${Deno.realPathSync(argv[beforeAt + 1])}/` : undefined;
const repeatAt = argv.indexOf("--repeat");
const repeat = repeatAt >= 0 ? Number(argv[repeatAt + 1]) : 1;
// once each ("--only tgpipe,before" with --before ran "before" twice a round)
const only = [
  ...new Set([
    ...(beforeRoot ? ["before"] : []),
    ...(onlyAt >= 0 ? argv[onlyAt + 1].split(",") : ["tgpipe", "gramjs", "telethon"]),
  ]),
];
// --v8-flags=... goes to tgpipe's deno (e.g. --v8-flags=--prof to profile it), after the
// flags `deno task tgpipe` uses, so the bench measures what users run
const v8 = [
  "--max-semi-space-size=8",
  "--expose-gc",
  ...argv.filter((a) => a.startsWith("--v8-flags=")).map((a) => a.slice(11)),
];
const CAP = 8 << 20;
const FAULTS = "rtt=30,bw=8M";
// file_size=13MB spreads ordinary files over 6.5-13 MB (about 10 MB on average)
const WORLD = small
  ? "gen:chats=1,messages=60,files=40,file_size=13MB,big_files=1,big_size=100MB,forum=0,comments=0,left=0"
  : "gen:chats=1,messages=300,files=260,file_size=13MB,big_files=1,big_size=1GB,forum=0,comments=0,left=0";
const SMALL_FILES = small ? 10 : 100;
const root = new URL("..", import.meta.url).pathname;

const tg = await startFakeTelegram({ world: WORLD, faults: FAULTS, basePort: 0 });
const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_dl_" });
try {
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  const docs = chat.messages.flatMap((m) =>
    m.media?.kind === "document" ? [{ id: m.id, size: m.media.doc.blob.size }] : []
  );
  const big = docs.filter((d) => d.size >= 64 << 20);
  const rest = docs.filter((d) => d.size >= 4 << 20 && d.size < 64 << 20).slice(0, SMALL_FILES);
  const picked = [...big, ...rest];
  const total = picked.reduce((n, d) => n + d.size, 0);
  if (rest.length < SMALL_FILES) throw new Error(`World has only ${rest.length} files of 4-64 MB`);
  const ids = picked.map((d) => d.id);
  const setup = { bench: "download", small, faults: FAULTS, files: ids.length, total, cap: CAP };
  const rounds: BenchRun[][] = [];
  const served = new Map<BenchRun, { start: string; rpcs: number; handshakes: number; get_file_x: number }>();
  for (let i = 0; i < repeat; i++) {
    const runs: BenchRun[] = [];
    for (const client of only) {
      const out = `${tmp}/${client}`;
      await Deno.mkdir(out);
      const served0 = { rpcs: tg.stats.rpcs, bytes: tg.stats.getFileBytes, handshakes: tg.stats.handshakes };
      const run = await _run(client, out, ids, total);
      // work the fake DC did for it: parts sent twice (copies) and hash requests show here, and
      // key exchanges (a warm run of this tgpipe reuses the file DC's stored key: none)
      served.set(run, {
        start: i === 0 ? "cold" : "warm",
        rpcs: tg.stats.rpcs - served0.rpcs,
        handshakes: tg.stats.handshakes - served0.handshakes,
        get_file_x: +((tg.stats.getFileBytes - served0.bytes) / total).toFixed(3),
      });
      runs.push(run);
      await Deno.remove(out, { recursive: true });
      await tg.dropConnections();
    }
    rounds.push(runs);
  }
  const summary = benchSummary(setup, rounds[0]);
  // each tgpipe run against its own limit (its own CPU-s/GB): the share is how busy it kept the cores
  const share = (client: string) => rounds.map((r) => _ofLimit(setup, r.find((x) => x.client === client)!));
  const repeats = repeat > 1 || beforeRoot
    ? {
      rounds: rounds.map((r) => r.map((x) => ({ ...x, served: served.get(x) }))),
      of_limit: Object.fromEntries(
        only.filter((c) => c === "tgpipe" || c === "before").map((
          c,
        ) => [c, { runs: share(c), median: _median(share(c)) }]),
      ),
    }
    : undefined;
  if (json) console.log(JSON.stringify({ ...summary, ...repeats }));
  else {
    printBenchSummary(summary);
    for (const [i, runs] of rounds.entries()) {
      if (i > 0) {
        console.log(`round ${i + 1}:`);
        printBenchSummary(benchSummary(setup, runs));
      }
      for (const r of runs) {
        const v = served.get(r)!;
        console.log(
          `  ${r.client.padEnd(8)} ${v.start}: fake DC ${v.rpcs} RPCs, ${v.handshakes} key exchanges, ` +
            `getFile bytes ${v.get_file_x}x the files`,
        );
      }
    }
    for (const [c, v] of Object.entries(repeats?.of_limit ?? {})) {
      const runs = v.runs.map((x, i) => `${(x * 100).toFixed(0)}%${i === 0 ? " (cold)" : ""}`);
      console.log(`  ${c.padEnd(8)} of limit: ${runs.join(", ")}; median ${(v.median * 100).toFixed(0)}%`);
    }
  }
} finally {
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

async function _run(client: string, out: string, ids: number[], total: number): Promise<BenchRun> {
  const chatLink = "https://t.me/gen_channel_0";
  let cmd: string[];
  if (client === "tgpipe" || client === "before") {
    const repo = client === "before" ? beforeRoot! : root;
    await Deno.writeTextFile(`${out}.links`, ids.map((id) => `${chatLink}/${id}`).join("\n") + "\n");
    cmd = [
      Deno.execPath(),
      "run",
      "-A",
      "--unstable-kv",
      // what `deno task tgpipe` passes (see deno.json): modules of other commands are not loaded
      "--unstable-lazy-dynamic-imports",
      "--node-modules-dir=manual",
      "--config",
      `${repo}deno.json`,
      `--v8-flags=${v8.join(",")}`,
      `${repo}main.ts`,
      "dl",
      "--from-file",
      `${out}.links`,
    ];
    cmd.push("--out", out, ...extra);
  } else if (client === "gramjs") {
    const cfg = {
      session: tg.env.TGPIPE_SESSION,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      chat: "gen_channel_0",
      ids,
      out,
    };
    cmd = [Deno.execPath(), "run", "-A", `${root}scripts/peers/gramjs_download.ts`, JSON.stringify(cfg)];
  } else if (client === "telethon") {
    const cfg = {
      pem: tg.rsa.pem,
      fingerprint: tg.rsa.fingerprint,
      session: tg.env.TGPIPE_SESSION,
      chat: "gen_channel_0",
      ids,
      out,
    };
    cmd = ["/usr/bin/python3", `${root}scripts/peers/telethon_download.py`, JSON.stringify(cfg)];
  } else throw new Error(`Unknown client ${client}`);
  const timeFile = `${out}.time`;
  // the data dir outlives the round, as the progress store does: a warm run finds its DC keys
  const env = { ...tg.env, TGPIPE_KV: `${out}.kv`, TGPIPE_DATA_DIR: `${out}.data`, NO_COLOR: "1" };
  const timed = await runTimed(client, cmd, env, timeFile, tg);
  const got = await _dirBytes(out);
  if (got !== total) throw new Error(`${client} wrote ${got} bytes, expected ${total}`);
  return await benchRun(client, total, timed);
}

/** A tgpipe run's MB/s over its own limit (the lower of connections x cap and its CPU rate). */
function _ofLimit(s: BenchSetup, r: BenchRun): number {
  const limit = Math.min(
    (r.peak_connections * s.cap) / 2 ** 20,
    (navigator.hardwareConcurrency * 1024) / (r.cpu_s_per_gb + r.server_cpu_s_per_gb),
  );
  return +(r.mb_s / limit).toFixed(3);
}

function _median(xs: number[]): number {
  const s = xs.toSorted((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : +((s[s.length / 2 - 1] + s[s.length / 2]) / 2).toFixed(3);
}

async function _dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    n += e.isDirectory ? await _dirBytes(p) : e.name.endsWith(".part") ? 0 : (await Deno.stat(p)).size;
  }
  return n;
}
