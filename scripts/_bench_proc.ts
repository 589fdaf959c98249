/**
 * What the download and upload benches share: one client run under /usr/bin/time -v against the fake DC
 * (wall time, client and fake-DC CPU, peak RSS, peak connections) and the summary with its limit and ratios.
 */

const TICK = 100; // USER_HZ on Linux

/** One client's measured run. */
export interface BenchRun {
  client: string;
  bytes: number;
  seconds: number;
  mb_s: number;
  cpu_s_per_gb: number;
  server_cpu_s_per_gb: number;
  peak_rss_mb: number;
  peak_connections: number;
}

/** A finished, successful client process and what was measured around it. */
export interface TimedProcess {
  seconds: number;
  serverCpu: number;
  peakConns: number;
  timeFile: string;
}

function _selfCpuS(): number {
  const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(f[11]) + Number(f[12])) / TICK;
}

/**
 * Runs `cmd` under /usr/bin/time -v (report in `timeFile`), polling the fake DC's open connections for
 * the peak; throws with the end of its output if it fails.
 */
export async function runTimed(
  client: string,
  cmd: string[],
  env: Record<string, string>,
  timeFile: string,
  dc: { connectionCount(): Record<number, number> },
): Promise<TimedProcess> {
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
    const n = Object.values(dc.connectionCount()).reduce((a, b) => a + b, 0);
    peakConns = Math.max(peakConns, n);
  }, 200);
  const res = await child.output();
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = _selfCpuS() - cpu0;
  const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
  if (!res.success) throw new Error(`${client} failed (${res.code}): ${text.slice(-1500)}`);
  return { seconds, serverCpu, peakConns, timeFile };
}

/** The run's figures for `total` bytes moved, with client CPU and peak RSS from the time report. */
export async function benchRun(client: string, total: number, p: TimedProcess): Promise<BenchRun> {
  const tv = await Deno.readTextFile(p.timeFile);
  const num = (re: RegExp) => Number(re.exec(tv)?.[1] ?? NaN);
  const cpu = num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/);
  const gb = total / 2 ** 30;
  return {
    client,
    bytes: total,
    seconds: +p.seconds.toFixed(2),
    mb_s: +(total / 2 ** 20 / p.seconds).toFixed(1),
    cpu_s_per_gb: +(cpu / gb).toFixed(2),
    server_cpu_s_per_gb: +(p.serverCpu / gb).toFixed(2),
    peak_rss_mb: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
    // the main connection of the home DC is counted too
    peak_connections: Math.max(1, p.peakConns - 1),
  };
}

/** What a bench summary says of its set-up. */
export interface BenchSetup {
  bench: string;
  small: boolean;
  faults: string;
  files: number;
  total: number;
  /** Bytes a second one connection may carry (the fake DC's bw cap). */
  cap: number;
}

/**
 * The summary of the runs: tgpipe's limit (the lower of connections x cap and the CPU rate of client +
 * fake DC on this machine's cores), its share of that limit and its ratios to the other clients.
 */
export function benchSummary(s: BenchSetup, runs: BenchRun[]) {
  const by = Object.fromEntries(runs.map((r) => [r.client, r]));
  const t = by.tgpipe;
  // Both processes share the cores: the CPU rate is what the cores can encrypt + decrypt.
  const cpuRate = t
    ? (navigator.hardwareConcurrency * 1024) / (t.cpu_s_per_gb + t.server_cpu_s_per_gb)
    : undefined;
  const connRate = t ? (t.peak_connections * s.cap) / 2 ** 20 : undefined;
  const limit = t ? Math.min(connRate!, cpuRate!) : undefined;
  return {
    bench: s.bench,
    small: s.small,
    faults: s.faults,
    files: s.files,
    total_mb: Math.round(s.total / 2 ** 20),
    runs,
    limit_mb_s: limit && +limit.toFixed(1),
    connections_limit_mb_s: connRate && +connRate.toFixed(1),
    cpu_limit_mb_s: cpuRate && +cpuRate.toFixed(1),
    of_limit: t && limit ? +(t.mb_s / limit).toFixed(3) : undefined,
    vs_telethon: t && by.telethon ? +(t.mb_s / by.telethon.mb_s).toFixed(2) : undefined,
    vs_gramjs: t && by.gramjs ? +(t.mb_s / by.gramjs.mb_s).toFixed(2) : undefined,
  };
}

/** Prints the summary as text: a line a run, then the limit and the ratios. */
export function printBenchSummary(summary: ReturnType<typeof benchSummary>): void {
  console.log(
    `${summary.bench} bench: ${summary.files} files, ${summary.total_mb} MB, faults ${summary.faults}`,
  );
  for (const r of summary.runs) {
    console.log(
      `  ${r.client.padEnd(8)} ${r.mb_s.toFixed(1).padStart(6)} MB/s  ${r.seconds.toFixed(1)} s  ` +
        `cpu ${r.cpu_s_per_gb.toFixed(1)} s/GB (fake DC ${r.server_cpu_s_per_gb.toFixed(1)})  ` +
        `rss ${r.peak_rss_mb} MB  conns ${r.peak_connections}`,
    );
  }
  if (summary.of_limit !== undefined) {
    console.log(
      `  limit ${summary.limit_mb_s} MB/s (connections ${summary.connections_limit_mb_s}, cpu ${summary.cpu_limit_mb_s}); ` +
        `tgpipe at ${(summary.of_limit! * 100).toFixed(0)}% of it`,
    );
  }
  if (summary.vs_telethon) console.log(`  tgpipe / telethon = ${summary.vs_telethon}x`);
  if (summary.vs_gramjs) console.log(`  tgpipe / gramjs = ${summary.vs_gramjs}x`);
}
