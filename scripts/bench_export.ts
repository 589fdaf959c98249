/**
 * `deno task bench export [--small] [--json] [--shards N]`: a generated channel on the fake DC
 * with 30 ms RTT; tgpipe export (a subprocess, --media none) against Telethon's iter_messages and
 * GramJS's iterMessages writing JSON lines, in one run. Reports messages/s, ratios, the limit
 * (shards × 100 / RTT) and tgpipe's peak RSS at two sizes (10k and 100k; --small: 2k and 10k).
 * The peers run at the first size (Telethon sleeps 1 s between requests past 3000 messages).
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const small = Deno.args.includes("--small");
const json = Deno.args.includes("--json");
const shardsArg = Deno.args.indexOf("--shards");
const shards = shardsArg >= 0 ? Number(Deno.args[shardsArg + 1]) : 8;
const RTT = 30;
const sizes = small ? [2_000, 10_000] : [10_000, 100_000];
const repo = new URL("../", import.meta.url).pathname;
const log = (s: string) => !json && console.error(s);

interface Run {
  messages: number;
  ms: number;
  rate: number;
  peak_rss_mb?: number;
}

async function measure(
  cmd: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ out: string; rss: number; ms: number }> {
  const t = performance.now();
  const child = new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped", stdin: "null" }).spawn();
  let rss = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) rss = Math.max(rss, Number(m[1]) / 1024);
    } catch {
      // the process is gone
    }
  }, 50);
  const out = await child.output();
  clearInterval(poll);
  const ms = performance.now() - t;
  const dec = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(" ")} failed (${out.code}): ${dec.decode(out.stderr).slice(-2000)}`,
    );
  }
  return { out: dec.decode(out.stdout), rss, ms };
}

const results: Record<number, { tgpipe: Run; telethon?: Run; gramjs?: Run }> = {};
for (const n of sizes) {
  const tg = await startFakeTelegram({
    world: `gen:chats=1,messages=${n},files=0,forum=0,comments=0,left=0`,
    basePort: 0,
    faults: `rtt=${RTT}`,
  });
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_export_" });
  try {
    const env = { ...Deno.env.toObject(), ...tg.env, TGPIPE_KV: `${tmp}/p.kv`, NO_COLOR: "1" };
    log(`${n} messages: tgpipe export --shards ${shards} ...`);
    const r = await measure(Deno.execPath(), [
      "run",
      "-A",
      "--unstable-kv",
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
    const tgpipe: Run = {
      messages: res.messages,
      ms: res.elapsed_ms,
      rate: res.messages / (res.elapsed_ms / 1000),
      peak_rss_mb: Math.round(r.rss),
    };
    results[n] = { tgpipe };
    // Telethon sleeps between history requests past 3000 messages (its wait_time): ~100 msg/s,
    // so the peers run at the first size only; ratios compare the same size
    if (n === sizes[0]) {
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
    await Deno.remove(tmp, { recursive: true });
  }
}
const big = results[sizes[0]];
const limit = shards * 100 / (RTT / 1000);
const summary = {
  bench: "export",
  rtt_ms: RTT,
  shards,
  sizes,
  limit_msgs_per_s: Math.round(limit),
  tgpipe_msgs_per_s: Math.round(big.tgpipe.rate),
  tgpipe_msgs_per_s_largest: Math.round(results[sizes.at(-1)!].tgpipe.rate),
  telethon_msgs_per_s: big.telethon ? Math.round(big.telethon.rate) : null,
  gramjs_msgs_per_s: big.gramjs ? Math.round(big.gramjs.rate) : null,
  ratio_vs_telethon: big.telethon ? +(big.tgpipe.rate / big.telethon.rate).toFixed(2) : null,
  ratio_vs_gramjs: big.gramjs ? +(big.tgpipe.rate / big.gramjs.rate).toFixed(2) : null,
  fraction_of_limit: +(results[sizes.at(-1)!].tgpipe.rate / limit).toFixed(3),
  peak_rss_mb: Object.fromEntries(sizes.map((n) => [n, results[n].tgpipe.peak_rss_mb])),
};
if (json) console.log(JSON.stringify(summary));
else {
  for (const n of sizes) {
    const r = results[n];
    console.log(
      `${n} messages: tgpipe ${
        Math.round(r.tgpipe.rate)
      } msg/s (${r.tgpipe.ms} ms, peak RSS ${r.tgpipe.peak_rss_mb} MB)` +
        (r.telethon ? `, Telethon ${Math.round(r.telethon.rate)} msg/s` : "") +
        (r.gramjs ? `, GramJS ${Math.round(r.gramjs.rate)} msg/s` : ""),
    );
  }
  console.log(
    `limit ${summary.limit_msgs_per_s} msg/s (${shards} shards × 100 / ${RTT} ms); tgpipe at ${
      (summary.fraction_of_limit * 100).toFixed(0)
    }% of it; ` +
      `${summary.ratio_vs_telethon}× Telethon, ${summary.ratio_vs_gramjs}× GramJS`,
  );
}
