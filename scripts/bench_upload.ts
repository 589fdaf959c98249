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
import { type BenchRun, benchRun, benchSummary, printBenchSummary, runTimed } from "./_bench_proc.ts";

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
  const runs: BenchRun[] = [];
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

function _print(runs: BenchRun[], count: number, total: number, url?: UrlCaseResult): void {
  const summary = {
    ...benchSummary({ bench: "upload", small, faults: FAULTS, files: count, total, cap: CAP }, runs),
    url,
  };
  if (json) return console.log(JSON.stringify(summary));
  printBenchSummary(summary);
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

async function _run(client: string, files: string[], total: number): Promise<BenchRun> {
  const out = `${tmp}/${client}`;
  const cmd = _command(client, files, out);
  const chat = () => tg.world.chats.get(`user:${tg.world.selfUserId}`)?.messages ?? [];
  const before = chat().length;
  const timeFile = `${out}.time`;
  const env = { ...tg.env, TGPIPE_KV: `${out}.kv`, NO_COLOR: "1" };
  const timed = await runTimed(client, cmd, env, timeFile, tg);
  const sent = chat().slice(before).flatMap((m) =>
    m.media?.kind === "document" ? [m.media.doc.blob.size] : []
  );
  const got = sent.reduce((a, b) => a + b, 0);
  if (sent.length !== files.length || got !== total) {
    throw new Error(
      `${client} sent ${sent.length} documents of ${got} bytes, expected ${files.length} of ${total}`,
    );
  }
  return await benchRun(client, total, timed);
}
