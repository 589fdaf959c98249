/**
 * `deno task bench download [--small] [--json] [--only tgpipe,gramjs,telethon] [-- <tgpipe dl flags>]`:
 * one fake DC (30 ms RTT, 8 MB/s per connection) serving one big file plus many ~10 MB files;
 * tgpipe (the CLI as a subprocess) against GramJS's downloadMedia and Telethon's download_media,
 * each looping over the same messages. Reports MB/s, ratios, the limit (min of connections x cap
 * and the CPU rate of client + fake DC on this machine's cores), client CPU-seconds per GB and
 * peak RSS (from /usr/bin/time -v). --json prints one JSON line.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const argv = [...Deno.args];
const dash = argv.indexOf("--");
const extra = dash >= 0 ? argv.splice(dash).slice(1) : [];
const small = argv.includes("--small");
const json = argv.includes("--json");
const onlyAt = argv.indexOf("--only");
const only = onlyAt >= 0 ? argv[onlyAt + 1].split(",") : ["tgpipe", "gramjs", "telethon"];
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
const CORES = navigator.hardwareConcurrency;
const TICK = 100; // USER_HZ on Linux

function _selfCpuS(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / TICK;
}

interface Run {
  client: string;
  bytes: number;
  seconds: number;
  mb_s: number;
  cpu_s_per_gb: number;
  server_cpu_s_per_gb: number;
  peak_rss_mb: number;
  peak_connections: number;
}

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
  const runs: Run[] = [];
  for (const client of only) {
    const out = `${tmp}/${client}`;
    await Deno.mkdir(out);
    runs.push(await _run(client, out, ids, total));
    await Deno.remove(out, { recursive: true });
    await tg.dropConnections();
  }
  const by = Object.fromEntries(runs.map((r) => [r.client, r]));
  const t = by.tgpipe;
  // Both processes share the cores: the CPU rate is what the cores can decrypt + encrypt.
  const cpuRate = t ? (CORES * 1024) / (t.cpu_s_per_gb + t.server_cpu_s_per_gb) : undefined;
  const connRate = t ? (t.peak_connections * CAP) / 2 ** 20 : undefined;
  const limit = t ? Math.min(connRate!, cpuRate!) : undefined;
  const summary = {
    bench: "download",
    small,
    faults: FAULTS,
    files: ids.length,
    total_mb: Math.round(total / 2 ** 20),
    runs,
    limit_mb_s: limit && +limit.toFixed(1),
    connections_limit_mb_s: connRate && +connRate.toFixed(1),
    cpu_limit_mb_s: cpuRate && +cpuRate.toFixed(1),
    of_limit: t && limit ? +(t.mb_s / limit).toFixed(3) : undefined,
    vs_telethon: t && by.telethon ? +(t.mb_s / by.telethon.mb_s).toFixed(2) : undefined,
    vs_gramjs: t && by.gramjs ? +(t.mb_s / by.gramjs.mb_s).toFixed(2) : undefined,
  };
  if (json) console.log(JSON.stringify(summary));
  else {
    console.log(`download bench: ${summary.files} files, ${summary.total_mb} MB, faults ${FAULTS}`);
    for (const r of runs) {
      console.log(
        `  ${r.client.padEnd(8)} ${r.mb_s.toFixed(1).padStart(6)} MB/s  ${r.seconds.toFixed(1)} s  ` +
          `cpu ${r.cpu_s_per_gb.toFixed(1)} s/GB (fake DC ${r.server_cpu_s_per_gb.toFixed(1)})  ` +
          `rss ${r.peak_rss_mb} MB  conns ${r.peak_connections}`,
      );
    }
    if (limit) {
      console.log(
        `  limit ${summary.limit_mb_s} MB/s (connections ${summary.connections_limit_mb_s}, cpu ${summary.cpu_limit_mb_s}); ` +
          `tgpipe at ${(summary.of_limit! * 100).toFixed(0)}% of it`,
      );
    }
    if (summary.vs_telethon) console.log(`  tgpipe / telethon = ${summary.vs_telethon}x`);
    if (summary.vs_gramjs) console.log(`  tgpipe / gramjs = ${summary.vs_gramjs}x`);
  }
} finally {
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

async function _run(client: string, out: string, ids: number[], total: number): Promise<Run> {
  const chatLink = "https://t.me/gen_channel_0";
  let cmd: string[];
  if (client === "tgpipe") {
    await Deno.writeTextFile(`${out}.links`, ids.map((id) => `${chatLink}/${id}`).join("\n") + "\n");
    cmd = [
      Deno.execPath(),
      "run",
      "-A",
      "--unstable-kv",
      `--v8-flags=${v8.join(",")}`,
      `${root}main.ts`,
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
  const env = { ...tg.env, TGPIPE_KV: `${out}.kv`, NO_COLOR: "1" };
  const cpu0 = _selfCpuS();
  const t0 = performance.now();
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-v", "-o", timeFile, ...cmd],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peakConns = 0;
  const poll = setInterval(() => {
    const n = Object.values(tg.connectionCount()).reduce((a, b) => a + b, 0);
    peakConns = Math.max(peakConns, n);
  }, 200);
  const res = await child.output();
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = _selfCpuS() - cpu0;
  const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
  if (!res.success) throw new Error(`${client} failed (${res.code}): ${text.slice(-1500)}`);
  const got = await _dirBytes(out);
  if (got !== total) throw new Error(`${client} wrote ${got} bytes, expected ${total}`);
  const tv = await Deno.readTextFile(timeFile);
  const num = (re: RegExp) => Number(re.exec(tv)?.[1] ?? NaN);
  const cpu = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
  const gb = total / 2 ** 30;
  return {
    client,
    bytes: total,
    seconds: +seconds.toFixed(2),
    mb_s: +(total / 2 ** 20 / seconds).toFixed(1),
    cpu_s_per_gb: +(cpu / gb).toFixed(2),
    server_cpu_s_per_gb: +(serverCpu / gb).toFixed(2),
    peak_rss_mb: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
    // the main connection of the home DC is counted too
    peak_connections: Math.max(1, peakConns - 1),
  };
}

async function _dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    const p = `${dir}/${e.name}`;
    n += e.isDirectory ? await _dirBytes(p) : e.name.endsWith(".part") ? 0 : (await Deno.stat(p)).size;
  }
  return n;
}
