/**
 * `deno task bench upload [--small] [--json] [--only tgpipe,gramjs,telethon,url] [--faults SPEC] [-- <tgpipe up flags>]`:
 * one fake DC (30 ms RTT, 8 MB/s per connection each way) taking one big file plus many 10 MB
 * files into Saved Messages; tgpipe (the CLI as a subprocess) against GramJS's sendFile (16
 * workers, the most its docs allow) and Telethon's send_file, each looping over the same files.
 * Reports MB/s, ratios, the limit (min of connections x cap and the CPU rate of client + fake DC
 * on this machine's cores), client CPU-seconds per GB and peak RSS (/usr/bin/time -v). Every run
 * is checked: one new document per file, of the file's size. --json prints one JSON line.
 * `url`: the big file uploaded by tgpipe from disk and from a loopback HTTP origin (upload_url_case.ts):
 * the URL rate as a share of the file rate, tgpipe's peak RSS and the largest temp file of each.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import { runUrlCase, type UrlCaseResult } from "./upload_url_case.ts";

const argv = [...Deno.args];
const dash = argv.indexOf("--");
const extra = dash >= 0 ? argv.splice(dash).slice(1) : [];
const small = argv.includes("--small");
const json = argv.includes("--json");
const onlyAt = argv.indexOf("--only");
// Telethon first: run after GramJS on a loaded machine it twice lost its connection mid-upload
// (asyncio CancelledError; cause not found), never when it ran first or alone
const only = onlyAt >= 0 ? argv[onlyAt + 1].split(",") : ["telethon", "tgpipe", "gramjs", "url"];
const CAP = 8 << 20;
const faultsAt = argv.indexOf("--faults");
// --faults SPEC replaces the default link (to see what limits a run); the ratios need the default
const FAULTS = faultsAt >= 0 ? argv[faultsAt + 1] : "rtt=30,bw=8M";
const BIG = small ? 64 << 20 : 1 << 30;
const SMALL_FILES = small ? 10 : 100;
const SMALL_SIZE = 10 << 20;
const root = new URL("..", import.meta.url).pathname;
const CORES = navigator.hardwareConcurrency;
const TICK = 100; // USER_HZ on Linux

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

function _selfCpuS(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / TICK;
}

// Incompressible content, cheap to make: one random MiB, varied per MiB and file.
async function _write(path: string, size: number, seed: number): Promise<void> {
  const block = new Uint8Array(1 << 20);
  for (let o = 0; o < block.length; o += 65536) crypto.getRandomValues(block.subarray(o, o + 65536));
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (let at = 0, i = 0; at < size; at += block.length, i++) {
      block[0] = i & 255;
      block[1] = seed & 255;
      await f.write(block.subarray(0, Math.min(block.length, size - at)));
    }
  } finally {
    f.close();
  }
}

// Telethon and GramJS ask for missed updates after a send (their update handling, not the upload)
const tg = await startFakeTelegram({
  world: "gen:chats=1,messages=1,files=0",
  faults: FAULTS,
  basePort: 0,
  allowUnimplemented: ["updates.GetDifference"],
});
const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_up_" });
try {
  const files = [`${tmp}/in/big.bin`];
  await Deno.mkdir(`${tmp}/in`);
  await _write(files[0], BIG, 0);
  for (let i = 1; i <= SMALL_FILES; i++) {
    files.push(`${tmp}/in/f${String(i).padStart(3, "0")}.bin`);
    await _write(files[i], SMALL_SIZE, i);
  }
  const total = BIG + SMALL_FILES * SMALL_SIZE;
  const runs: Run[] = [];
  let url: UrlCaseResult | undefined;
  for (const client of only) {
    try {
      if (client === "url") {
        url = await runUrlCase(tg, files[0], { tgpipe: _command("tgpipe", [], ""), tmp: `${tmp}/url` });
      } else runs.push(await _run(client, files, total));
    } catch (err) {
      // a peer that fails is reported, the others still run
      console.error(`${client}: ${(err as Error).message.split("\n").slice(-3).join(" ")}`);
    }
    await tg.dropConnections();
  }
  _print(runs, files.length, total, url);
} finally {
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

function _print(runs: Run[], count: number, total: number, url?: UrlCaseResult): void {
  const by = Object.fromEntries(runs.map((r) => [r.client, r]));
  const t = by.tgpipe;
  // Both processes share the cores: the CPU rate is what the cores can encrypt + decrypt.
  const cpuRate = t ? (CORES * 1024) / (t.cpu_s_per_gb + t.server_cpu_s_per_gb) : undefined;
  const connRate = t ? (t.peak_connections * CAP) / 2 ** 20 : undefined;
  const limit = t ? Math.min(connRate!, cpuRate!) : undefined;
  const summary = {
    bench: "upload",
    small,
    faults: FAULTS,
    files: count,
    total_mb: Math.round(total / 2 ** 20),
    runs,
    limit_mb_s: limit && +limit.toFixed(1),
    connections_limit_mb_s: connRate && +connRate.toFixed(1),
    cpu_limit_mb_s: cpuRate && +cpuRate.toFixed(1),
    of_limit: t && limit ? +(t.mb_s / limit).toFixed(3) : undefined,
    vs_telethon: t && by.telethon ? +(t.mb_s / by.telethon.mb_s).toFixed(2) : undefined,
    vs_gramjs: t && by.gramjs ? +(t.mb_s / by.gramjs.mb_s).toFixed(2) : undefined,
    url,
  };
  if (json) return console.log(JSON.stringify(summary));
  console.log(`upload bench: ${summary.files} files, ${summary.total_mb} MB, faults ${FAULTS}`);
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
  if (url) {
    console.log(`  URL -> Telegram, the big file (${Math.round(BIG / 2 ** 20)} MB):`);
    for (const r of url.runs) {
      console.log(
        `    ${r.source.padEnd(4)} ${r.mb_s.toFixed(1).padStart(6)} MB/s  ${r.seconds.toFixed(1)} s  ` +
          `peak rss ${r.peak_rss_mb} MB  largest temp file ${r.largest_temp_bytes} B`,
      );
    }
    console.log(`    url / file = ${(url.url_of_file * 100).toFixed(0)}% (goal >= 90%, rss <= 200 MB)`);
  }
}

function _command(client: string, files: string[], out: string): string[] {
  if (client === "tgpipe") {
    const v8 = "--v8-flags=--max-semi-space-size=8,--expose-gc";
    const main = `${root}main.ts`;
    return [
      Deno.execPath(),
      "run",
      "-A",
      "--unstable-kv",
      v8,
      main,
      "up",
      ...files,
      "--as",
      "document",
      ...extra,
    ];
  }
  if (client === "gramjs") {
    const cfg = { session: tg.env.TGPIPE_SESSION, endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS, files };
    return [Deno.execPath(), "run", "-A", `${root}scripts/peers/gramjs_upload.ts`, JSON.stringify(cfg)];
  }
  if (client === "telethon") {
    const cfg = { pem: tg.rsa.pem, fingerprint: tg.rsa.fingerprint, session: tg.env.TGPIPE_SESSION, files };
    return ["/usr/bin/python3", `${root}scripts/peers/telethon_upload.py`, JSON.stringify(cfg)];
  }
  throw new Error(`Unknown client ${client} (${out})`);
}

async function _run(client: string, files: string[], total: number): Promise<Run> {
  const out = `${tmp}/${client}`;
  const cmd = _command(client, files, out);
  const chat = () => tg.world.chats.get(`user:${tg.world.selfUserId}`)?.messages ?? [];
  const before = chat().length;
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
  const sent = chat().slice(before).flatMap((m) =>
    m.media?.kind === "document" ? [m.media.doc.blob.size] : []
  );
  const got = sent.reduce((a, b) => a + b, 0);
  if (sent.length !== files.length || got !== total) {
    throw new Error(
      `${client} sent ${sent.length} documents of ${got} bytes, expected ${files.length} of ${total}`,
    );
  }
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
