/**
 * `deno task bench export_media [--json] [-- <export flags>]`: a generated channel of 1,000
 * messages with ~500 photos of 20–200 KB on the fake DC at 30 ms RTT and 8 MB/s per connection.
 * In one run: `tgpipe export --media none`, `tgpipe export --media photo` and `tgpipe download
 * --type photo` of the same chat (each a subprocess with its own store and output). Reports each
 * run's own elapsed_ms (connect to last file, from its result) and its wall time (process start
 * included), and the ratio export_media / (export_none + download) for both.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const argv = [...Deno.args];
const dash = argv.indexOf("--");
const extra = dash >= 0 ? argv.splice(dash).slice(1) : [];
const json = argv.includes("--json");
const FAULTS = "rtt=30,bw=8M";
// every other message is one photo; sizes spread over 20-200 KB
const WORLD =
  "gen:chats=1,messages=1000,files=500,photos=1,file_size=200KB,min_size=20KB,forum=0,comments=0,left=0";
const repo = new URL("../", import.meta.url).pathname;
const log = (s: string) => !json && console.error(s);
// the V8 flags of `deno task tgpipe`: measure what users run
const taskFlags = (JSON.parse(await Deno.readTextFile(`${repo}deno.json`)).tasks.tgpipe as string)
  .split(/\s+/).filter((a) => a.startsWith("--v8-flags"));

interface Run {
  /** The command's own elapsed_ms (from its result). */
  ms: number;
  /** Wall time of the subprocess, start-up included. */
  wall_ms: number;
  files: number;
}

const tg = await startFakeTelegram({ world: WORLD, faults: FAULTS, basePort: 0 });
const tmp = await Deno.makeTempDir({ prefix: "tgpipe_bench_export_media_" });
const runs: Record<string, Run> = {};
let photos = 0;
let photoBytes = 0;
try {
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  for (const m of chat.messages) {
    if (m.media?.kind !== "photo") continue;
    photos++;
    photoBytes += Math.max(...m.media.photo.sizes.map((s) => s.blob?.size ?? 0));
  }
  const cases: Array<[string, string[]]> = [
    ["export_none", ["export", "@gen_channel_0", "--media", "none", ...extra]],
    ["export_photo", ["export", "@gen_channel_0", "--media", "photo", ...extra]],
    ["download", ["download", "@gen_channel_0", "--type", "photo"]],
  ];
  for (const [name, args] of cases) {
    log(`${name}: tgpipe ${args.join(" ")} ...`);
    const dir = `${tmp}/${name}`;
    const env = { ...Deno.env.toObject(), ...tg.env, TGPIPE_KV: `${dir}.kv`, NO_COLOR: "1" };
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-kv", ...taskFlags, `${repo}main.ts`, "--json", ...args, "--out", dir],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const wall = performance.now() - t0;
    const text = new TextDecoder().decode(out.stdout);
    if (out.code !== 0) {
      throw new Error(`${name} failed (${out.code}): ${new TextDecoder().decode(out.stderr).slice(-2000)}`);
    }
    const res = JSON.parse(text.trim().split("\n").find((l) => l.includes('"type":"result"'))!).data;
    runs[name] = { ms: res.elapsed_ms, wall_ms: Math.round(wall), files: res.media_files ?? res.done ?? 0 };
    await tg.dropConnections();
  }
} finally {
  await tg.close();
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}

const sum = runs.export_none.ms + runs.download.ms;
const sumWall = runs.export_none.wall_ms + runs.download.wall_ms;
const summary = {
  bench: "export_media",
  faults: FAULTS,
  photos,
  photo_mb: +(photoBytes / 2 ** 20).toFixed(1),
  runs,
  ratio: +(runs.export_photo.ms / sum).toFixed(2),
  ratio_wall: +(runs.export_photo.wall_ms / sumWall).toFixed(2),
};
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`export media bench: ${photos} photos (${summary.photo_mb} MB), faults ${FAULTS}`);
  for (const [name, r] of Object.entries(runs)) {
    console.log(`  ${name.padEnd(13)} ${r.ms} ms (wall ${r.wall_ms} ms), ${r.files} files`);
  }
  console.log(
    `  export_photo / (export_none + download) = ${summary.ratio} (wall ${summary.ratio_wall})`,
  );
}
