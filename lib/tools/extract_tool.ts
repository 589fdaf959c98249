import { createHash } from "node:crypto";
import { ToolFailedError } from "../core/errors.ts";

/** Where to put an extracted tool and what to call it. */
export interface ExtractToolOptions {
  /** The tgpipe cache directory; the tool lands in `<cacheDir>/tools/<name>-<version>`. */
  cacheDir: string;
  name: string;
  version: string;
  signal?: AbortSignal;
}

/**
 * Copies a bundled binary (inside a compiled tgpipe, or lacking its exec bit in node_modules)
 * to `<cacheDir>/tools/<name>-<version>` with mode 0755, once. A copy already there is reused
 * only when its size and sha256 match the source; otherwise it is replaced atomically.
 * Returns the path of the runnable copy.
 */
export async function extractTool(source: string, opts: ExtractToolOptions): Promise<string> {
  const dir = `${opts.cacheDir}/tools`;
  const target = `${dir}/${_safe(opts.name)}-${_safe(opts.version)}`;
  const srcInfo = await Deno.stat(source);
  const srcHash = await _sha256(source, opts.signal);
  const existing = await Deno.stat(target).catch(() => undefined);
  if (
    existing?.isFile && existing.size === srcInfo.size && (await _sha256(target, opts.signal)) === srcHash
  ) {
    await _ensureExecutable(target, existing.mode);
    return target;
  }
  await Deno.mkdir(dir, { recursive: true });
  // Copy under a unique name and rename: two tgpipe processes extracting at once both succeed.
  const tmp = `${target}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  try {
    await _copy(source, tmp);
    await Deno.chmod(tmp, 0o755);
    const got = await _sha256(tmp, opts.signal);
    if (got !== srcHash) {
      throw new ToolFailedError(opts.name, null, "", `extraction to ${tmp} is corrupt (sha256 mismatch)`);
    }
    await Deno.rename(tmp, target);
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  return target;
}

/** Streams the copy: the source may live in a compiled binary's read-only embedded file system. */
async function _copy(from: string, to: string): Promise<void> {
  const src = await Deno.open(from, { read: true });
  const dst = await Deno.open(to, { write: true, createNew: true, mode: 0o700 });
  await src.readable.pipeTo(dst.writable);
}

async function _ensureExecutable(path: string, mode: number | null): Promise<void> {
  if (Deno.build.os === "windows" || (mode !== null && (mode & 0o111) === 0o111)) return;
  await Deno.chmod(path, 0o755);
}

/** Hashes a file in chunks so a 70 MB binary never sits in memory whole. */
async function _sha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path, { read: true });
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    signal?.throwIfAborted();
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
  }
  return hash.digest("hex");
}

function _safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._+-]/g, "_");
}
