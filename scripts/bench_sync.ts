/**
 * `deno task bench sync [--small] [--json] [-- <tgpipe sync flags>]`: one fake DC (30 ms RTT, 8 MB/s per connection)
 * serving one big file plus many ~10 MB files (2 GB: 1 GB + 100 x 10 MB; --small: 100 MB + 20),
 * and `rclone serve sftp` on loopback limited to 20 MB/s. Measured in one run:
 * download-only (`tgpipe dl`), upload-only (`rclone copy --transfers 3` of those files), their sum
 * (download then upload) and `tgpipe sync --max-disk 300MB` (disk use of --temp sampled every
 * 100 ms). Reports sync / max(download, upload) (goal <= 1.15), the speed-up over sequential and
 * the peak disk use against the budget.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import { sectionOf, serveRemote, writeConfig } from "../tests/remote/_rclone_serve.ts";

const argv = [...Deno.args];
const dash = argv.indexOf("--");
// flags after `--` go to tgpipe sync (e.g. -- --concurrency 8)
const extra = dash >= 0 ? argv.splice(dash).slice(1) : [];
const small = argv.includes("--small");
const json = argv.includes("--json");
const FAULTS = "rtt=30,bw=8M";
const WORLD = small
  ? "gen:chats=1,messages=40,files=28,file_size=13MB,big_files=1,big_size=100MB,forum=0,comments=0,left=0"
  : "gen:chats=1,messages=160,files=127,file_size=13MB,big_files=1,big_size=1GB,forum=0,comments=0,left=0";
const FILES = small ? 20 : 100;
const BUDGET = 300 << 20;
const root = new URL("..", import.meta.url).pathname;

const tg = await startFakeTelegram({ world: WORLD, faults: FAULTS, basePort: 0 });
const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_sync_" });
const srv = await serveRemote({ kind: "sftp", root: `${tmp}/srv`, bwlimit: "20M" });
try {
  const config = await writeConfig(`${tmp}/rclone.conf`, [await sectionOf("net", srv)]);
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  const docs = chat.messages.flatMap((m) =>
    m.media?.kind === "document" ? [{ id: m.id, size: m.media.doc.blob.size }] : []
  );
  // the big file and the ordinary ~10 MB ones (6.5-13 MB): what --min-size 4MB takes
  const picked = docs.filter((d) => d.size >= 4 << 20);
  if (!picked.some((d) => d.size >= 64 << 20) || picked.length < FILES * 0.9) {
    throw new Error(
      `World has ${picked.length} files of 4+ MB, expected the big one and about ${FILES} more`,
    );
  }
  const total = picked.reduce((n, d) => n + d.size, 0);
  const filter = ["--min-size", "4MB"];
  const env = { ...tg.env, NO_COLOR: "1" };
  const tgpipe = (
    ...args: string[]
  ) => [Deno.execPath(), "run", "-A", "--unstable-kv", `${root}main.ts`, ...args];

  const dl = await _timed(
    tgpipe("dl", "@gen_channel_0", ...filter, "--template", "{id}.bin", "--out", `${tmp}/dl`),
    {
      ...env,
      TGPIPE_KV: `${tmp}/dl.kv`,
    },
  );
  await tg.dropConnections();
  const up = await _timed(
    ["rclone", "copy", `${tmp}/dl`, "net:up", "--transfers", "3", "--config", config],
    env,
  );
  await Deno.remove(`${tmp}/dl`, { recursive: true });
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await _bytes(`${tmp}/temp`));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const sync = await _timed(
    tgpipe(
      "sync",
      "@gen_channel_0",
      "net:sync",
      ...filter,
      "--template",
      "{id}.bin",
      "--max-disk",
      "300MB",
      "--temp",
      `${tmp}/temp`,
      "--rclone-config",
      config,
      ...extra,
    ),
    { ...env, TGPIPE_KV: `${tmp}/sync.kv` },
  ).finally(() => sampling = false);
  await sampler;
  const synced = await _bytes(`${tmp}/srv/sync`);
  if (synced !== total) throw new Error(`sync put ${synced} bytes on the remote, expected ${total}`);
  const summary = {
    bench: "sync",
    small,
    faults: FAULTS,
    sftp_limit_mb_s: 20,
    files: picked.length,
    total_mb: Math.round(total / 2 ** 20),
    download_s: dl,
    upload_s: up,
    sequential_s: +(dl + up).toFixed(2),
    sync_s: sync,
    of_max: +(sync / Math.max(dl, up)).toFixed(3),
    speedup_over_sequential: +((dl + up) / sync).toFixed(2),
    max_disk_mb: 300,
    peak_disk_mb: +(peak / 2 ** 20).toFixed(1),
    within_budget: peak <= BUDGET,
  };
  if (json) console.log(JSON.stringify(summary));
  else {
    console.log(
      `sync bench: ${summary.files} files, ${summary.total_mb} MB, fake DC ${FAULTS}, sftp 20 MB/s`,
    );
    console.log(
      `  download only ${dl.toFixed(1)} s, upload only ${
        up.toFixed(1)
      } s, one then the other ${summary.sequential_s} s`,
    );
    console.log(`  sync ${sync.toFixed(1)} s = ${summary.of_max} x max(download, upload) (goal <= 1.15)`);
    console.log(`  speed-up over download-then-upload ${summary.speedup_over_sequential}x`);
    console.log(
      `  peak disk ${summary.peak_disk_mb} MB of --max-disk 300 MB (${
        summary.within_budget ? "within" : "ABOVE"
      })`,
    );
  }
} finally {
  await srv.stop();
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

async function _timed(cmd: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), env, stdout: "piped", stderr: "piped" })
    .output();
  const s = (performance.now() - t0) / 1000;
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr).slice(-1500);
    throw new Error(`${cmd.slice(0, 6).join(" ")} failed (${out.code}): ${text}`);
  }
  return +s.toFixed(2);
}

async function _bytes(dir: string): Promise<number> {
  let n = 0;
  try {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      n += e.isDirectory ? await _bytes(p) : await Deno.stat(p).then((s) => s.size, () => 0);
    }
  } catch { /* gone meanwhile */ }
  return n;
}
