/**
 * What `tgpipe upload` sends: each argument (or --from-file line) becomes UploadSources here, in
 * one place, so every input kind plugs in the same way. Today: files, and folders walked
 * recursively through --include/--exclude globs, http(s) URLs (opened in their item's step) and
 * `-` (the stdin stream lib/cli passes, named by --name).
 */
import { resolve } from "node:path";
import { UsageError } from "../../core/errors.ts";
import { matchGlob } from "../../core/glob.ts";
import { localFileSource } from "../../engine/local_file_source.ts";
import { stdinSource } from "../../engine/stdin_source.ts";
import type { UploadSource } from "../../engine/upload_source.ts";
import { urlInput } from "./url_input.ts";

/** One file to upload: its source, and its local path when it is a local file (--delete-after). */
export interface UploadInput {
  /** Stable across runs (resume keys on it). */
  id: string;
  source: UploadSource;
  path?: string;
  /**
   * Opens the source that is read (URLs: the request goes out in the item's step, so a failure
   * is the item's); without it `source` is read directly.
   */
  open?(signal: AbortSignal): Promise<UploadSource>;
}

/** How folders are walked and the inputs ordered. */
export interface InputOptions {
  include?: string[];
  exclude?: string[];
  /** size: small first (default); name: by path; none: as given. */
  sort?: "size" | "name" | "none";
  /** What `-` reads (lib/cli passes Deno.stdin.readable). */
  stdin?: ReadableStream<Uint8Array>;
  /** The file name of `-` in Telegram (--name); required with `-`. */
  name?: string;
  /** Stall timeout of URL inputs. */
  stallMs?: number;
}

/** Every input of the run, sorted; UsageError (exit 2) for one that does not exist or is not supported. */
export async function resolveInputs(args: string[], opts: InputOptions = {}): Promise<UploadInput[]> {
  const out: UploadInput[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    for (const input of await resolveInput(arg, opts)) {
      // the same file named twice (a folder and a file in it) goes up once
      if (!seen.has(input.id)) out.push(input);
      seen.add(input.id);
    }
  }
  return _sorted(out, opts.sort ?? "size");
}

/** The sources one argument stands for: a file, every matching file of a folder. */
export async function resolveInput(arg: string, opts: InputOptions = {}): Promise<UploadInput[]> {
  if (/^https?:\/\//i.test(arg)) return [_url(arg, opts)];
  if (arg === "-") return [_stdin(opts)];
  const path = resolve(arg);
  const info = await Deno.stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`No such file or folder: ${arg}`);
  if (info.isFile) return [await _file(path)];
  if (!info.isDirectory) throw new UsageError(`Not a file or folder: ${arg}`);
  const files: UploadInput[] = [];
  for (const rel of await _walk(path, "")) {
    if (opts.include?.length && !opts.include.some((g) => matchGlob(g, rel))) continue;
    if (opts.exclude?.some((g) => matchGlob(g, rel))) continue;
    files.push(await _file(`${path}/${rel}`));
  }
  return files;
}

/** `input` with the source its step reads: URLs are asked for here (see {@link UploadInput.open}). */
export async function openInput<T extends UploadInput>(input: T, signal: AbortSignal): Promise<T> {
  return input.open ? { ...input, source: await input.open(signal), open: undefined } : input;
}

function _url(arg: string, opts: InputOptions): UploadInput {
  try {
    return urlInput(arg, { stallMs: opts.stallMs });
  } catch {
    throw new UsageError(`Not a valid URL: ${arg}`);
  }
}

function _stdin(opts: InputOptions): UploadInput {
  if (opts.name === undefined) throw new UsageError("Uploading stdin (-) needs --name NAME (its file name)");
  if (!opts.stdin) throw new UsageError("Uploading stdin (-): no standard input to read");
  try {
    // one stream: the id is the name, so a rerun of the same command finds the item it sent
    return { id: `stdin:${opts.name}`, source: stdinSource(opts.stdin, { name: opts.name }) };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function _file(path: string): Promise<UploadInput> {
  return { id: `file:${path}`, source: await localFileSource(path), path };
}

// Relative paths of the files under `dir`, in name order; symlinked folders are not followed.
async function _walk(root: string, rel: string): Promise<string[]> {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(rel ? `${root}/${rel}` : root)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const out: string[] = [];
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) out.push(...await _walk(root, p));
    else if (e.isFile) out.push(p);
  }
  return out;
}

function _sorted(list: UploadInput[], sort: "size" | "name" | "none"): UploadInput[] {
  if (sort === "none") return list;
  const byName = (a: UploadInput, b: UploadInput) => a.source.origin < b.source.origin ? -1 : 1;
  if (sort === "name") return [...list].sort(byName);
  // unknown sizes (streams) last: they may be anything
  const size = (x: UploadInput) => x.source.size ?? Number.MAX_SAFE_INTEGER;
  return [...list].sort((a, b) => size(a) - size(b) || byName(a, b));
}
