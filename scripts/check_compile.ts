/**
 * Checks `deno task compile` without the network: deno compile cannot download its denort base
 * binary here, so DENORT_BIN points at any ELF (/bin/true) and compile runs to the end, printing
 * the embedded files. Asserts that main.ts, lib/ and workers/ are embedded, and that the npm
 * ffmpeg/ffprobe binaries (the bundled fallback of lib/tools/find_tool.ts) are in the output.
 *
 * usage: deno run -A scripts/check_compile.ts [--denort /bin/true]
 */
import { Buffer } from "node:buffer";

/** What the compile check found. */
export interface CompileCheck {
  ok: boolean;
  problems: string[];
  /** Top-level entries of deno compile's "Embedded Files" tree, e.g. ["lib", "main.ts", "workers"]. */
  entries: string[];
  /** The total size line deno printed, e.g. "184.15MB". */
  filesSize?: string;
  outputBytes: number;
  /** Bundled tool binaries whose bytes were found inside the output. */
  bundled: string[];
  elapsedMs: number;
}

const ROOT = new URL("../", import.meta.url).pathname;
// The same packages lib/tools/find_tool.ts imports; they tell where this platform's binary is.
const BUNDLED: Array<() => Promise<{ path: string }>> = [
  async () => (await import("@ffmpeg-installer/ffmpeg")).default,
  async () => (await import("@ffprobe-installer/ffprobe")).default,
];

/** Runs the project's compile task into a temp dir against a dummy denort and checks the result. */
export async function checkCompile(opts: { denort?: string } = {}): Promise<CompileCheck> {
  const started = performance.now();
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe-compile-" });
  try {
    const out = `${tmp}/tgpipe`;
    const args = await _compileArgs(out);
    const r = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: ROOT,
      env: { DENORT_BIN: opts.denort ?? "/bin/true", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    // deno colors its tree even with NO_COLOR in some versions; strip escapes before parsing.
    const text = (new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr))
      .replace(new RegExp(String.fromCharCode(27) + "\\[[0-9;]*m", "g"), "");
    const problems: string[] = [];
    if (!r.success) problems.push(`deno ${args.join(" ")} failed:\n${text.slice(-3000)}`);
    const entries = _topLevel(text);
    for (const want of ["main.ts", "lib", "workers", "node_modules"]) {
      if (!entries.includes(want)) problems.push(`${want} is not embedded (entries: ${entries.join(", ")})`);
    }
    const outputBytes = r.success ? (await Deno.stat(out)).size : 0;
    const bundled: string[] = [];
    for (const load of BUNDLED) {
      if (!r.success) break;
      const path = (await load()).path;
      const rel = path.slice(path.lastIndexOf("node_modules/"));
      if (await _contains(out, await _sample(path))) bundled.push(rel);
      else problems.push(`${rel} is not embedded in the compiled binary`);
    }
    return {
      ok: problems.length === 0,
      problems,
      entries,
      filesSize: /Files:\s*(\S+)/.exec(text)?.[1],
      outputBytes,
      bundled,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** The compile task's own arguments from deno.json, writing to `out` instead of dist/. */
async function _compileArgs(out: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const task = String(config.tasks?.compile ?? "");
  const words = task.split(/\s+/).filter(Boolean);
  if (words[0] !== "deno" || words[1] !== "compile") throw new Error(`Unexpected compile task: ${task}`);
  const o = words.indexOf("-o");
  if (o < 0) throw new Error(`The compile task has no -o: ${task}`);
  words[o + 1] = out;
  return words.slice(1);
}

function _topLevel(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split("\n")) {
    const m = /^[├└]─[─┬]\s*(.+?)(\/\*)?\s+\(/.exec(line);
    if (m) names.push(m[1]);
  }
  return names.sort();
}

/** 4 KB from the middle of a file: unique enough to prove the file's bytes are embedded. */
async function _sample(path: string): Promise<Uint8Array> {
  using f = await Deno.open(path);
  const size = (await f.stat()).size;
  await f.seek(Math.floor(size / 2), Deno.SeekMode.Start);
  const buf = new Uint8Array(4096);
  let n = 0;
  while (n < buf.length) {
    const got = await f.read(buf.subarray(n));
    if (got === null) break;
    n += got;
  }
  return buf.subarray(0, n);
}

/** Streams `path` looking for `needle`, keeping an overlap so matches across chunks are found. */
async function _contains(path: string, needle: Uint8Array): Promise<boolean> {
  using f = await Deno.open(path);
  const chunk = new Uint8Array(8 << 20);
  let carry = Buffer.alloc(0);
  for (;;) {
    const n = await f.read(chunk);
    if (n === null) return false;
    const hay = Buffer.concat([carry, chunk.subarray(0, n)]);
    if (hay.indexOf(needle) >= 0) return true;
    carry = hay.subarray(Math.max(0, hay.length - needle.length + 1));
  }
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--denort");
  const res = await checkCompile({ denort: i >= 0 ? Deno.args[i + 1] : undefined });
  console.log(
    `embedded: ${res.entries.join(", ")}; files ${res.filesSize ?? "?"}; ` +
      `output ${(res.outputBytes / 1e6).toFixed(1)} MB; bundled: ${res.bundled.join(", ") || "none"}; ` +
      `${(res.elapsedMs / 1000).toFixed(1)}s`,
  );
  for (const p of res.problems) console.error(`problem: ${p}`);
  Deno.exit(res.ok ? 0 : 1);
}
