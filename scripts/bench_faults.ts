/**
 * `deno task bench faults [--json] [--seeds 21,22,23] [--only export,download] [--cap S] [--before DIR] [--each]`: recovery
 * speed under faults (issue #19). A small generated world on the fake DC (30 ms RTT, 8 MB/s per
 * connection); tgpipe export (3000 messages with some media) and tgpipe download (10 files of a
 * few MB) run fault-free, then with 5% each of flood, disconnect, timeout, stall and migrate plus
 * expiring file references, once per seed (each checkout runs each command once untimed first, so that no
 * timed run pays for compiling its modules). Reports time per run, the ratio to the fault-free run,
 * the exit code and whether the output tree hashes the same as the fault-free one. A run longer
 * than --cap seconds (default 600) is killed and reported as exit "cap". `--before DIR` also runs
 * the tgpipe checked out in DIR (another commit, e.g. `git archive dev | tar -x -C DIR`, with a
 * node_modules link) against the same fake DC, each of its runs right before this checkout's, each
 * against its own fault-free time: before and after in one run of the noisy machine. `--each` runs
 * each fault kind alone (5% of it, plus the expiring references) instead of all five together: where
 * the time goes.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const argv = [...Deno.args];
const json = argv.includes("--json");
const _arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seeds = (_arg("--seeds") ?? "21,22,23").split(",").map(Number);
const only = (_arg("--only") ?? "export,download").split(",");
const capS = Number(_arg("--cap") ?? 600);
const root = new URL("..", import.meta.url).pathname;
const beforeArg = _arg("--before");
const beforeRoot = beforeArg === undefined ? undefined : `${Deno.realPathSync(beforeArg)}/`;
const BASE = "rtt=30,bw=8M";
const FAULTS = `${BASE},flood=0.05,disconnect=0.05,timeout=0.05,stall=0.05,migrate=0.05,file_ref_ttl=5`;
const KINDS = ["flood", "disconnect", "timeout", "stall", "migrate"];
/** The fault specs each seed runs: all kinds together, or (--each) one kind at a time. */
const each = argv.includes("--each");
const SPECS = each ? KINDS.map((k) => `${BASE},${k}=0.05,file_ref_ttl=5`) : [FAULTS];
// seed= in the spec pins the world, so the fault seed changes only which calls fail
const WORLDS: Record<string, string> = {
  export: "gen:chats=1,messages=3000,files=30,file_size=256KB,forum=0,comments=0,left=0,seed=7",
  download: "gen:chats=1,messages=40,files=10,file_size=4MB,forum=0,comments=0,left=0,seed=7",
};
const log = (s: string) => !json && console.error(s);

interface Run {
  /** "before" for --before's checkout, else "after" (this one). */
  code: "before" | "after";
  command: string;
  seed: number | null;
  faults: string;
  seconds: number;
  exit: number | "cap";
  hash: string;
  ratio?: number;
  identical?: boolean;
  /** Faults the fake DC injected (its stats). */
  injected?: Record<string, number>;
}

function _args(command: string, out: string): string[] {
  return command === "export"
    ? ["--json", "export", "@gen_channel_0", "--out", out]
    : ["--json", "dl", "https://t.me/gen_channel_0", "--template", "{id}", "--out", out];
}

/** sha-256 over the sorted relative paths and contents of `dir` (partial files included). */
async function _hashTree(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (d: string, rel: string) => {
    for await (const e of Deno.readDir(d)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(`${d}/${e.name}`, r);
      else files.push(r);
    }
  };
  await walk(dir, "").catch(() => {});
  files.sort();
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const f of files) {
    parts.push(enc.encode(`${f}\0`));
    parts.push(new Uint8Array(await crypto.subtle.digest("SHA-256", await Deno.readFile(`${dir}/${f}`))));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (all.set(p, o), (o += p.length));
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...d.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function _run(
  command: string,
  faults: string,
  seed: number | null,
  tmp: string,
  code: Run["code"] = "after",
): Promise<Run> {
  const repo = code === "before" ? beforeRoot! : root;
  const tg = await startFakeTelegram({ world: WORLDS[command], faults, seed: seed ?? 1, basePort: 0 });
  const dir = await Deno.makeTempDir({ dir: tmp });
  try {
    const env = { ...Deno.env.toObject(), ...tg.env, TGPIPE_KV: `${dir}/p.kv`, NO_COLOR: "1" };
    const t0 = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--unstable-kv",
        "--config",
        `${repo}deno.json`,
        `${repo}main.ts`,
        ..._args(command, `${dir}/out`),
      ],
      env,
      stdout: "null",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    let capped = false;
    const timer = setTimeout(() => {
      capped = true;
      child.kill("SIGKILL");
    }, capS * 1000);
    const res = await child.output();
    clearTimeout(timer);
    const seconds = +((performance.now() - t0) / 1000).toFixed(2);
    if (!res.success && !capped) log(`  stderr: ${new TextDecoder().decode(res.stderr).trim().slice(-400)}`);
    const s = tg.stats as unknown as Record<string, number>;
    const injected = Object.fromEntries(Object.entries(s).filter(([k, v]) => k.startsWith("fault") && v > 0));
    return {
      code,
      command,
      seed,
      faults,
      seconds,
      exit: capped ? "cap" : res.code,
      hash: await _hashTree(`${dir}/out`),
      injected,
    };
  } finally {
    await tg.close();
  }
}

const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_faults_" });
const runs: Run[] = [];
try {
  const codes: Run["code"][] = beforeRoot ? ["before", "after"] : ["after"];
  for (const command of only) {
    const clean: Partial<Record<Run["code"], Run>> = {};
    for (const code of codes) {
      // untimed first: a checkout's first run compiles its modules (Deno's transpile cache), which
      // made --before's fault-free run 1-1.5 s slower than its later ones and its ratios look better
      log(`${command} (${code}): warm-up (untimed) ...`);
      await _run(command, BASE, null, tmp, code);
      log(`${command} (${code}): fault-free ...`);
      const c = clean[code] = await _run(command, BASE, null, tmp, code);
      log(`  ${c.seconds} s, exit ${c.exit}, hash ${c.hash}`);
      runs.push(c);
    }
    for (const seed of seeds) {
      for (const spec of SPECS) {
        for (const code of codes) {
          log(`${command} (${code}): ${spec.slice(BASE.length + 1)}, seed ${seed} ...`);
          const r = await _run(command, spec, seed, tmp, code);
          r.ratio = +(r.seconds / clean[code]!.seconds).toFixed(2);
          // against its own checkout's fault-free output: the commits compared may write different files on purpose
          r.identical = r.hash === clean[code]!.hash;
          log(
            `  ${r.seconds} s (${r.ratio}×), exit ${r.exit}, identical ${r.identical}, injected ${
              JSON.stringify(r.injected)
            }`,
          );
          runs.push(r);
        }
      }
    }
  }
} finally {
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

// the goal is this checkout's; --before's runs are only there to compare
const faulty = runs.filter((r) => r.seed !== null && r.code === "after");
const summary = {
  bench: "faults",
  faults: SPECS.length === 1 ? SPECS[0] : SPECS,
  seeds,
  runs,
  all_exit_0: faulty.every((r) => r.exit === 0),
  all_identical: faulty.every((r) => r.identical),
  worst_ratio: Math.max(...faulty.map((r) => r.ratio!)),
  goal_met: faulty.every((r) => r.exit === 0 && r.identical && r.ratio! <= 3),
};
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`faults bench: ${SPECS.length === 1 ? SPECS[0] : "each kind alone"}`);
  for (const r of runs) {
    console.log(
      `  ${beforeRoot ? `${r.code.padEnd(7)}` : ""}${r.command.padEnd(8)} ${
        r.seed === null
          ? "clean"
          : `seed ${r.seed}${each ? ` ${KINDS.find((k) => r.faults.includes(`${k}=`))}` : ""}`
      }`.padEnd((beforeRoot ? 29 : 22) + (each ? 11 : 0)) +
        `${r.seconds.toFixed(1).padStart(7)} s  ${r.ratio === undefined ? "" : `${r.ratio}×`.padEnd(8)}` +
        `exit ${r.exit}  ${r.identical === undefined ? `hash ${r.hash}` : `identical ${r.identical}`}`,
    );
  }
  console.log(
    `  all exit 0: ${summary.all_exit_0}, all identical: ${summary.all_identical}, worst ${summary.worst_ratio}×; ` +
      `goal (exit 0, identical, ≤ 3×) ${summary.goal_met ? "met" : "not met"}`,
  );
}
