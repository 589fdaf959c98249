/**
 * The URL → Telegram case of `deno task bench upload`: the same file uploaded by tgpipe once read
 * from disk and once streamed from a loopback HTTP origin (Range support, read from disk), into the
 * same fake DC. Each run's tgpipe is watched while it runs: its peak RSS (VmHWM of
 * /proc/<pid>/status) and the largest file seen in its temp folder (TMPDIR), which should hold
 * nothing larger than the parts in flight (a URL is streamed, never copied to disk).
 */
import type { FakeTelegram } from "../tests/fakedc/cluster.ts";

/** One tgpipe run of the case. */
export interface UrlCaseRun {
  source: "file" | "url";
  mb_s: number;
  seconds: number;
  peak_rss_mb: number;
  largest_temp_bytes: number;
}

/** Both runs and the URL rate as a share of the local-file rate. */
export interface UrlCaseResult {
  runs: UrlCaseRun[];
  url_of_file: number;
}

/** Runs tgpipe on `path` from disk, then as a URL of a loopback origin; `tgpipe` is its command line. */
export async function runUrlCase(
  tg: FakeTelegram,
  path: string,
  opts: { tgpipe: string[]; tmp: string },
): Promise<UrlCaseResult> {
  const size = (await Deno.stat(path)).size;
  const origin = _serveFile(path, size);
  try {
    const runs: UrlCaseRun[] = [];
    for (const source of ["file", "url"] as const) {
      const input = source === "file" ? path : `${origin.base}/${path.split("/").at(-1)}`;
      runs.push(await _watched(tg, source, [...opts.tgpipe, input], size, `${opts.tmp}/${source}`));
      await tg.dropConnections();
    }
    return { runs, url_of_file: +(runs[1].mb_s / runs[0].mb_s).toFixed(3) };
  } finally {
    await origin.close();
  }
}

async function _watched(
  tg: FakeTelegram,
  source: "file" | "url",
  cmd: string[],
  size: number,
  dir: string,
): Promise<UrlCaseRun> {
  await Deno.mkdir(`${dir}/tmp`, { recursive: true });
  const chat = () => tg.world.chats.get(`user:${tg.world.selfUserId}`)?.messages ?? [];
  const before = chat().length;
  const env = { ...tg.env, TGPIPE_KV: `${dir}/p.kv`, TMPDIR: `${dir}/tmp`, NO_COLOR: "1" };
  const t0 = performance.now();
  const child = new Deno.Command(cmd[0], { args: cmd.slice(1), env, stdout: "piped", stderr: "piped" })
    .spawn();
  let hwm = 0, largest = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${child.pid}/status`));
      if (m) hwm = Math.max(hwm, Number(m[1]));
    } catch { /* exited */ }
    largest = Math.max(largest, _largestFile(`${dir}/tmp`));
  }, 100);
  const res = await child.output();
  clearInterval(poll);
  const seconds = (performance.now() - t0) / 1000;
  if (!res.success) {
    const text = new TextDecoder().decode(res.stdout) + new TextDecoder().decode(res.stderr);
    throw new Error(`tgpipe (${source}) failed (${res.code}): ${text.slice(-1500)}`);
  }
  const sent = chat().slice(before).flatMap((m) =>
    m.media?.kind === "document" ? [m.media.doc.blob.size] : []
  );
  if (sent.length !== 1 || sent[0] !== size) {
    throw new Error(`tgpipe (${source}) sent ${sent}, expected ${size}`);
  }
  return {
    source,
    mb_s: +(size / 2 ** 20 / seconds).toFixed(1),
    seconds: +seconds.toFixed(2),
    peak_rss_mb: Math.round(hwm / 1024),
    largest_temp_bytes: largest,
  };
}

function _largestFile(dir: string): number {
  let max = 0;
  try {
    for (const e of Deno.readDirSync(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) max = Math.max(max, _largestFile(p));
      else if (e.isFile) max = Math.max(max, Deno.statSync(p).size);
    }
  } catch { /* removed meanwhile */ }
  return max;
}

// A static origin for one file, read from disk (not held in memory), with Range as CDNs answer it.
function _serveFile(path: string, size: number): { base: string; close(): Promise<void> } {
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    async (req) => {
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("range") ?? "");
      const from = m ? Number(m[1]) : 0;
      const to = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
      const file = await Deno.open(path);
      await file.seek(from, Deno.SeekMode.Start);
      let left = to - from + 1;
      const body = file.readable.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, c) {
            if (left <= 0) return;
            const part = chunk.subarray(0, Math.min(chunk.length, left));
            left -= part.length;
            c.enqueue(part);
          },
        }),
      );
      const headers = {
        "content-type": "application/octet-stream",
        "accept-ranges": "bytes",
        "content-length": String(to - from + 1),
        ...(m ? { "content-range": `bytes ${from}-${to}/${size}` } : {}),
      };
      return new Response(body, { status: m ? 206 : 200, headers });
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    close: async () => {
      ac.abort();
      await server.finished;
    },
  };
}
