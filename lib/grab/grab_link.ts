/**
 * Downloads one link with yt-dlp (through lib/tools' runTool): the chosen quality or audio,
 * progress and stages as events, --max-size enforced as bytes arrive, failures classified.
 */
import { ToolFailedError } from "../core/errors.ts";
import type { DerivedMedia, MediaProbe } from "../core/message.ts";
import type { Emit } from "../progress/events.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { classifyYtDlpError } from "./classify_error.ts";
import { GrabError } from "./grab_error.ts";
import type { PlatformId } from "./platforms.ts";
import { downloadArgs, type YtDlpDownload } from "./ytdlp_args.ts";
import { type PrintedFile, YtDlpOutput } from "./ytdlp_output.ts";

/** One file a link produced: what `--to` hands the upload use case, and the result event lists. */
export interface GrabbedFile {
  /** The link as given. */
  url: string;
  platform: PlatformId;
  /** Absolute path of the finished file. */
  path: string;
  title: string;
  uploader?: string;
  /** The video's own page (yt-dlp's webpage_url), for captions; the link itself when unknown. */
  source_url: string;
  /** The JPEG thumbnail beside the file, when the site offers one. */
  thumbnail?: string;
  bytes: number;
  /** Seconds, as the site says (probe fields come from the media tasks). */
  duration?: number;
  kind: "video" | "audio";
  /** What ffprobe measured (set by the media tasks after the download). */
  probe?: MediaProbe;
  /** Files the media tasks made beside it (thumbnail, subtitles, transcoded copy). */
  derived?: DerivedMedia[];
  /** The transcript, with --transcribe. */
  transcript?: string;
  /** With --to: the chat as given and its message ids (none when Telegram had taken the send before). */
  sent?: { to: string; message_ids: number[] };
}

/** What one download needs besides the link and its request. */
export interface GrabLinkContext {
  /** The item id of events. */
  item: string;
  emit: Emit;
  signal?: AbortSignal;
}

/**
 * Runs yt-dlp for `url` and returns the files it moved into `req.out` (one, or several for a
 * post with several videos).
 *
 * @throws {GrabError} classified from yt-dlp's stderr, or too_big for --max-size
 */
export async function grabLink(
  ytDlp: ResolvedTool,
  url: string,
  req: YtDlpDownload,
  ctx: GrabLinkContext,
): Promise<GrabbedFile[]> {
  const stop = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
  // a file already at the planned path is not this run's to remove
  let plannedIsNew = false;
  const out = new YtDlpOutput({
    item: ctx.item,
    emit: ctx.emit,
    maxBytes: req.maxBytes,
    onTooBig: (bytes) => stop.abort(_tooBig(url, bytes, req.maxBytes!)),
    onPlanned: (path) => plannedIsNew = !_exists(path),
  });
  try {
    return await _run(ytDlp, url, req, { ...ctx, signal, out });
  } catch (err) {
    // a small file can be in place before the kill for --max-size lands: it must not stay
    if (err instanceof GrabError && err.kind === "too_big") {
      const made = [...out.files.map((f) => f.filepath), ...(plannedIsNew ? [out.plannedFile!] : [])];
      for (const f of made) await _removeWithThumb(f);
    }
    throw err;
  }
}

async function _run(
  ytDlp: ResolvedTool,
  url: string,
  req: YtDlpDownload,
  ctx: GrabLinkContext & { signal: AbortSignal; out: YtDlpOutput },
): Promise<GrabbedFile[]> {
  const { out, signal } = ctx;
  let tail = "";
  try {
    ({ stderrTail: tail } = await runTool(ytDlp, downloadArgs(url, req), {
      signal,
      onLine: (l) => out.line(l),
    }));
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    if (err instanceof GrabError) throw err;
    if (err instanceof ToolFailedError) {
      throw classifyYtDlpError(err.stderrTail, { url, hint: req.platform.hint });
    }
    throw err;
  }
  // the size was over the limit but the run ended before the kill took effect
  if (out.tooBig !== undefined) throw _tooBig(url, out.tooBig, req.maxBytes!);
  // Without ffmpeg, yt-dlp only warns that it cannot merge, and names a file it never wrote.
  const missing = await _firstMissing(out.files);
  if (out.files.length === 0 || missing !== undefined) {
    const e = classifyYtDlpError(tail, { url, hint: req.platform.hint });
    if (e.kind !== "failed") throw e;
    throw new GrabError(`yt-dlp finished without writing ${missing ?? "a file"}: ${url}`, {
      kind: "failed",
      url,
      stderr_tail: e.stderrTail,
    });
  }
  return await Promise.all(out.files.map((f) => _grabbed(f, url, req)));
}

async function _grabbed(f: PrintedFile, url: string, req: YtDlpDownload): Promise<GrabbedFile> {
  const bytes = (await Deno.stat(f.filepath)).size;
  const thumb = f.filepath.replace(/\.[^./\\]+$/, ".jpg");
  const hasThumb = thumb !== f.filepath && await Deno.stat(thumb).then((s) => s.isFile, () => false);
  return {
    url,
    platform: req.platform.id,
    path: f.filepath,
    title: f.title ?? f.id ?? url,
    uploader: f.uploader,
    source_url: f.webpage_url ?? url,
    ...(hasThumb ? { thumbnail: thumb } : {}),
    bytes,
    duration: f.duration,
    kind: req.audio ? "audio" : "video",
  };
}

function _exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

async function _removeWithThumb(path: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
  const thumb = path.replace(/\.[^./\\]+$/, ".jpg");
  if (thumb !== path) await Deno.remove(thumb).catch(() => {});
}

async function _firstMissing(files: PrintedFile[]): Promise<string | undefined> {
  for (const f of files) {
    if (!await Deno.stat(f.filepath).then((s) => s.isFile, () => false)) return f.filepath;
  }
  return undefined;
}

function _tooBig(url: string, bytes: number, max: number): GrabError {
  return new GrabError(`Bigger than --max-size (${bytes} > ${max} bytes): ${url}`, {
    kind: "too_big",
    url,
    bytes,
    max_bytes: max,
  });
}
