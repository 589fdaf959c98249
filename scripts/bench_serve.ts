/**
 * `deno task bench serve [--small] [--json]`: one fake DC (30 ms RTT, 8 MB/s per connection), a user
 * and two bots; in the same run, `tgpipe download` of a big file and `tgpipe serve` streaming it: one stream's
 * MB/s as a ratio of the download's, time to first byte (cold: the message is looked up; warm:
 * cached), time to the first byte of a seek to the last 1% (in RTTs), 32 concurrent streams of
 * different files (aggregate MB/s and min/median per stream), and the server's peak RSS.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import { FAKE_LOGIN } from "../tests/fakedc/world/login.ts";

const small = Deno.args.includes("--small");
const json = Deno.args.includes("--json");
const RTT = 30;
const FAULTS = `rtt=${RTT},bw=8M`;
const BOT2 = { token: "654321:SECOND-TOKEN-tgpipe-fakedc", userId: 654321n };
const WORLD = `gen:chats=1,messages=90,files=80,file_size=13MB,big_files=1,big_size=${
  small ? "200MB" : "1GB"
},forum=0,comments=0,left=0`;
const STREAMS = 32;
const root = new URL("..", import.meta.url).pathname;
const CHAT = "gen_channel_0";
// what `deno task tgpipe` (and the compiled binary) runs with
const DENO = [
  "run",
  "-A",
  "--unstable-kv",
  "--v8-flags=--max-semi-space-size=8,--expose-gc",
  `${root}main.ts`,
];

const tg = await startFakeTelegram({ world: WORLD, faults: FAULTS, basePort: 0 });
const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_serve_" });
tg.world.botTokens.set(BOT2.token, BOT2.userId);
const bot = tg.world.users.get(FAKE_LOGIN.bot.userId)!;
tg.world.users.set(BOT2.userId, { ...bot, id: BOT2.userId, username: "tgpipe_second_bot" });
// the same pool for both commands: the user session and two bots
const env = {
  ...tg.env,
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: tmp,
  TGPIPE_DATA_DIR: `${tmp}/data`,
  TGPIPE_KV: `${tmp}/p.kv`,
  TGPIPE_BOT_TOKENS: `${FAKE_LOGIN.bot.token},${BOT2.token}`,
};
try {
  const chat = [...tg.world.chats.values()].find((c) => c.username === CHAT)!;
  const docs = chat.messages.flatMap((m) =>
    m.media?.kind === "document" ? [{ id: m.id, size: m.media.doc.blob.size }] : []
  );
  const big = docs.reduce((a, b) => (b.size > a.size ? b : a));
  const others = docs.filter((d) => d.size >= 4 << 20 && d.id !== big.id).slice(0, STREAMS);
  if (others.length < STREAMS) throw new Error(`World has only ${others.length} files of 4 MB or more`);
  const dl = await _download(big.id, big.size);
  const summary = await _serve(big, others, dl);
  if (json) console.log(JSON.stringify(summary));
  else _print(summary);
} finally {
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

async function _download(id: number, size: number): Promise<{ mbS: number; rss: number }> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...DENO, "dl", `https://t.me/${CHAT}/${id}`, "--out", `${tmp}/dl`],
    env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const rss = _rssSampler(child.pid);
  const out = await child.output();
  const peak = rss.stop();
  if (!out.success) throw new Error(`tgpipe download failed: ${new TextDecoder().decode(out.stderr)}`);
  await Deno.remove(`${tmp}/dl`, { recursive: true });
  await tg.dropConnections();
  return { mbS: size / 2 ** 20 / ((performance.now() - t0) / 1000), rss: peak };
}

/** Samples a process's peak RSS (VmHWM) until stopped. */
function _rssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const read = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch { /* exited */ }
  };
  const timer = setInterval(read, 200);
  return {
    stop: () => {
      read();
      clearInterval(timer);
      return Math.round(peak);
    },
  };
}

async function _serve(
  big: { id: number; size: number },
  others: Array<{ id: number; size: number }>,
  dl: { mbS: number; rss: number },
) {
  const dlMbS = dl.mbS;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...DENO,
      "--json",
      "serve",
      "--public",
      "--listen",
      "127.0.0.1:0",
      // every stream of the bench comes from one address
      "--max-streams-per-client",
      "64",
    ],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const rss = _rssSampler(child.pid);
  try {
    const base = await _listenUrl(child.stdout);
    const url = (id: number) => `${base}/f/${CHAT}/${id}`;
    const cold = await _ttfb(url(big.id));
    const warm = await _ttfb(url(big.id));
    const seek = await _ttfb(url(big.id), { Range: `bytes=${Math.floor(big.size * 0.99)}-` });
    const t0 = performance.now();
    const got = await _drain(url(big.id));
    const oneMbS = got / 2 ** 20 / ((performance.now() - t0) / 1000);
    const start = performance.now();
    const rates = await Promise.all(others.map(async (d) => {
      const t = performance.now();
      const n = await _drain(url(d.id));
      return n / 2 ** 20 / ((performance.now() - t) / 1000);
    }));
    const total = others.reduce((n, d) => n + d.size, 0) / 2 ** 20;
    const aggregate = total / ((performance.now() - start) / 1000);
    const sorted = [...rates].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return {
      bench: "serve",
      faults: FAULTS,
      file_mb: Math.round(big.size / 2 ** 20),
      download_mb_s: +dlMbS.toFixed(1),
      stream_mb_s: +oneMbS.toFixed(1),
      stream_vs_download: +(oneMbS / dlMbS).toFixed(2),
      ttfb_cold_ms: Math.round(cold),
      ttfb_warm_ms: Math.round(warm),
      seek_last_1pct_ms: Math.round(seek),
      seek_in_rtts: +(seek / RTT).toFixed(1),
      streams: STREAMS,
      streams_aggregate_mb_s: +aggregate.toFixed(1),
      streams_min_over_median: +(sorted[0] / median).toFixed(2),
      peak_rss_mb: rss.stop(),
      download_peak_rss_mb: dl.rss,
    };
  } finally {
    child.kill("SIGINT");
    await child.status;
  }
}

async function _listenUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("tgpipe serve exited before listening");
    buf += value;
    const m = /"type":"serve_listen","url":"([^"]+)"/.exec(buf);
    if (m) {
      // keep draining stdout so the server never blocks on a full pipe
      (async () => {
        for (;;) if ((await reader.read()).done) break;
      })();
      return m[1];
    }
  }
}

async function _ttfb(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  await reader.read();
  const ms = performance.now() - t0;
  await reader.cancel();
  return ms;
}

async function _drain(url: string): Promise<number> {
  const res = await fetch(url);
  let n = 0;
  for await (const chunk of res.body!) n += chunk.length;
  return n;
}

function _print(s: Awaited<ReturnType<typeof _serve>>): void {
  console.log(`serve bench: ${s.file_mb} MB file, faults ${s.faults}, a user and 2 bots`);
  console.log(
    `  download ${s.download_mb_s} MB/s, one stream ${s.stream_mb_s} MB/s (${s.stream_vs_download}x)`,
  );
  console.log(`  time to first byte: cold ${s.ttfb_cold_ms} ms, warm ${s.ttfb_warm_ms} ms`);
  console.log(`  seek to the last 1%: ${s.seek_last_1pct_ms} ms (${s.seek_in_rtts} RTTs)`);
  console.log(
    `  ${s.streams} streams: ${s.streams_aggregate_mb_s} MB/s together, min/median ${s.streams_min_over_median}`,
  );
  console.log(`  server peak RSS ${s.peak_rss_mb} MB (tgpipe download: ${s.download_peak_rss_mb} MB)`);
}
