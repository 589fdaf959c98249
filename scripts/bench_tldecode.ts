/**
 * `deno task bench tldecode [--json] [--messages N] [--rounds R]`: the CPU of turning history pages
 * into tgpipe's model, in one process: GramJS's reader + map_message.ts (the slow path, with
 * fast_tl.ts installed as export has it) against fast_history.ts, on the same bytes, rounds
 * alternating so both see the same machine. The pages are the fake DC's answers for the export
 * bench's generated channel (ChannelMessages of 100 messages). Reports the CPU µs per message of
 * each path and their ratio, and the heap each path's results hold per message while a round keeps
 * them all (heapUsed after the round minus before it, from a forced collection): what export's
 * read-ahead keeps alive per page. It runs itself again with `--expose-gc` and the young
 * generation of `deno task tgpipe`.
 */
import { Buffer } from "node:buffer";
import process from "node:process";
import { Api } from "telegram";
import readerModule from "telegram/extensions/BinaryReader.js";
import { installFastTl } from "../lib/telegram/fast_tl.ts";
import { decodeHistoryPage } from "../lib/telegram/fast_history.ts";
import { gramPageItems } from "../lib/telegram/history_answer.ts";
import { generateWorld } from "../tests/fakedc/world/gen.ts";
import { worldChatPages, worldChatRef, worldTlEnv } from "../tests/telegram/_history_pages.ts";

const json = Deno.args.includes("--json");
const mode = Deno.args.includes("--mode-alloc")
  ? "alloc"
  : Deno.args.includes("--mode-cpu")
  ? "cpu"
  : "parent";
if (mode === "parent") {
  // CPU with export's young generation (and gc() between rounds); allocation with a young
  // generation big enough that no scavenge runs during a pass, so heapUsed's growth is what it allocated
  const run = async (flags: string, m: string) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--v8-flags=${flags}`, new URL(import.meta.url).pathname, m, ...Deno.args],
      stderr: "inherit",
    }).output();
    if (!out.success) Deno.exit(1);
    return JSON.parse(new TextDecoder().decode(out.stdout));
  };
  const res = {
    ...await run("--expose-gc,--max-semi-space-size=8", "--mode-cpu"),
    ...await run("--min-semi-space-size=1024,--max-semi-space-size=1024", "--mode-alloc"),
  };
  if (json) console.log(JSON.stringify(res));
  else {
    console.log(`${res.messages} messages in ${res.pages} pages, ${res.rounds} rounds (median):`);
    console.log(
      `  GramJS + map_message.ts: ${res.gramjs_us_per_msg} µs/msg, ${res.gramjs_alloc_bytes_per_msg} B/msg allocated`,
    );
    console.log(
      `  fast_history.ts:         ${res.fast_us_per_msg} µs/msg, ${res.fast_alloc_bytes_per_msg} B/msg allocated`,
    );
    console.log(`  ratio: ${res.ratio}× CPU, ${res.alloc_ratio}× allocation`);
  }
  Deno.exit(0);
}

const arg = (name: string, dflt: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) : dflt;
};
const N = arg("--messages", 20_000);
const ROUNDS = arg("--rounds", 6);
const { BinaryReader } = readerModule as unknown as {
  BinaryReader: new (b: Buffer) => { tgReadObject(): unknown };
};

installFastTl();
const world = generateWorld(`gen:chats=1,messages=${N},files=0,forum=0,comments=0,left=0`, { seed: 1 });
const chat = [...world.chats.values()][0];
const ref = worldChatRef(chat);
const pages = worldChatPages(worldTlEnv(world), chat);
const total = chat.messages.length;

const paths = {
  gramjs: (b: Buffer) => gramPageItems(new BinaryReader(b).tgReadObject() as Api.messages.TypeMessages, ref),
  fast: (b: Buffer) => {
    try {
      return decodeHistoryPage(b, 0, ref);
    } catch {
      // a page the fast path leaves to GramJS costs what it costs in export: both
      return paths.gramjs(b);
    }
  },
};

/** CPU µs of this process (user + system). */
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
if (mode === "alloc") {
  // 20 pages: well inside the young generation, so no scavenge runs during a pass
  const some = pages.slice(0, 20);
  const n = Math.min(total, some.length * 100);
  const bytes = (name: keyof typeof paths) => {
    const h0 = Deno.memoryUsage().heapUsed;
    for (const b of some) paths[name](b);
    return (Deno.memoryUsage().heapUsed - h0) / n;
  };
  bytes("gramjs"), bytes("fast"); // warm-up
  const g = bytes("gramjs"), f = bytes("fast");
  console.log(JSON.stringify({
    gramjs_alloc_bytes_per_msg: Math.round(g),
    fast_alloc_bytes_per_msg: Math.round(f),
    alloc_ratio: +(g / f).toFixed(2),
  }));
  Deno.exit(0);
}

const gc = (globalThis as { gc?: () => void }).gc!;
const results: Record<keyof typeof paths, number[]> = { gramjs: [], fast: [] };
let sink = 0;
for (let r = 0; r < ROUNDS + 1; r++) {
  for (const name of (r % 2 ? ["fast", "gramjs"] : ["gramjs", "fast"]) as Array<keyof typeof paths>) {
    gc();
    const t0 = cpu();
    // every page's items stay alive until the round ends, as export's read-ahead holds pages
    const kept = pages.map(paths[name]);
    const us = cpu() - t0;
    sink += kept.length;
    if (r > 0) results[name].push(us / total); // round 0 warms up
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
if (sink < 0) console.error(sink);
console.log(JSON.stringify({
  messages: total,
  pages: pages.length,
  rounds: ROUNDS,
  gramjs_us_per_msg: +median(results.gramjs).toFixed(2),
  fast_us_per_msg: +median(results.fast).toFixed(2),
  ratio: +(median(results.gramjs) / median(results.fast)).toFixed(2),
}));
