/**
 * `tgpipe grab`: links from YouTube, Instagram, TikTok, Snapchat, Likee or any page, downloaded
 * by yt-dlp into --out on the job runner (a rerun skips links already grabbed, a failed link is
 * reported and the others go on, exit 3 when some failed), each file then probed and given the
 * media tasks the flags ask for; with --to each file then goes to the chat (send_grabbed.ts).
 */
import { join } from "node:path";
import { ToolMissingError, UsageError } from "../../core/errors.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobReport, JobSpec } from "../../engine/job_types.ts";
import { GrabError } from "../../grab/grab_error.ts";
import type { GrabbedFile } from "../../grab/grab_link.ts";
import { type AudioFormat, checkQuality } from "../../grab/select_format.ts";
import { checkTemplate } from "../../grab/ytdlp_args.ts";
import type { Emit } from "../../progress/events.ts";
import { findTool } from "../../tools/find_tool.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";
import { openOutputStore } from "../shared/open_output_store.ts";
import type { TelegramAccess } from "../shared/telegram_access.ts";
import { isRetryableUpload } from "../upload/error_category.ts";
import { copyCookies } from "./copy_cookies.ts";
import { GRAB_TMP, grabItem, type GrabItemContext } from "./grab_item.ts";
import { type GrabItem, planLinks } from "./grab_plan.ts";
import type { GrabSender } from "./grab_sender.ts";

export { AUDIO_FORMATS, type AudioFormat } from "../../grab/select_format.ts";
export { PLATFORMS } from "../../grab/platforms.ts";

/** Options of {@link grab}; lib/cli fills every field from flags and settings. */
export interface GrabOptions {
  urls: string[];
  out: string;
  kv: string;
  /** Create the progress store's missing folder (only for the default location). */
  createKvParent?: boolean;
  /** best (default), worst, `<height>p` or a format id from --info. */
  quality?: string;
  audio?: AudioFormat;
  /** Bytes a link's file may have (--max-size). */
  maxBytes?: number;
  /** Output template relative to --out, yt-dlp's syntax; default the platform's. */
  template?: string;
  /** A Netscape cookies file (copied for yt-dlp, which writes its jar back). */
  cookies?: string;
  /** yt-dlp binary (--yt-dlp, TGPIPE_YT_DLP); default PATH. */
  ytDlp?: string;
  /** Tool search and the media tasks; probe always runs, the rest as the media flags ask. */
  media: MediaPostSettings;
  /** Links at once; default 2. */
  concurrency?: number;
  /** Send each file to this chat (@name, link, id, me) through the upload engine. */
  to?: string;
  /** The accounts --to sends with (the session's own); a login is needed only with --to. */
  accounts?: TelegramAccess[];
  /** With --to: delete each file once Telegram confirmed its message (default: keep it). */
  deleteAfter?: boolean;
  /** With --to: connections per account (default 8) and the part stall timeout. */
  connections?: number;
  stallMs?: number;
  maxRuntimeMs?: number;
  emit?: Emit;
  signal?: AbortSignal;
}

/** What a grab run did: the runner's report and every file it has (grabbed now or before). */
export interface GrabReport extends JobReport {
  files: GrabbedFile[];
}

/**
 * Runs a grab on the job runner; failed links are reported (item_failed) and counted, not thrown.
 *
 * @throws {UsageError} for a bad link, quality, template or cookies file (exit 2)
 * @throws {ToolMissingError} when there is no yt-dlp (exit 1)
 * @throws {StoppedError} on Ctrl-C or when --max-runtime ends (exit 75; the rerun resumes)
 */
export async function grab(opts: GrabOptions): Promise<GrabReport> {
  const emit: Emit = opts.emit ?? (() => {});
  const items = planLinks(opts.urls);
  _checkChoices(opts);
  const ytDlp = await findTool("yt-dlp", { ..._search(opts), configured: opts.ytDlp });
  const ffmpegPath = await _ffmpeg(opts);
  const output = await openOutputStore(opts.out, opts);
  let media: MediaPost | undefined;
  let cookies: string | undefined;
  let to: GrabSender | undefined;
  try {
    cookies = opts.cookies ? await copyCookies(opts.cookies, join(opts.out, GRAB_TMP)) : undefined;
    // a login is needed only to send: without --to no account is opened
    to = opts.to === undefined ? undefined : await _openSender(opts, opts.to, emit);
    media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal });
    // a worker (when the media flags need one) loads its modules while yt-dlp downloads, not after
    media.warm();
    const files: GrabbedFile[] = [];
    const spec = _spec(opts, { items, ytDlp, ffmpegPath, cookies, store: output.store, media, files, to });
    const report = await runJob(spec, {
      store: output.store,
      concurrency: opts.concurrency ?? 2,
      // links are checked again each run (by the output folder's index): a deleted file comes back
      skipDone: false,
      // yt-dlp retried each request already; one more go later for a connection that dropped
      retries: 1,
      isRetryable: (e) =>
        e instanceof GrabError &&
        (e.kind === "network" || (e.kind === "upload" && isRetryableUpload(e.cause))),
      maxRuntimeMs: opts.maxRuntimeMs,
      emit,
      signal: opts.signal,
    });
    await media.close();
    return { ...report, files };
  } catch (err) {
    await output.failed(err);
    throw err;
  } finally {
    media?.pool.terminate();
    await to?.close();
    if (cookies) await Deno.remove(cookies).catch(() => {});
    output.store.close();
  }
}

function _spec(
  opts: GrabOptions,
  c: Pick<GrabItemContext, "ytDlp" | "ffmpegPath" | "cookies" | "store" | "media" | "files"> & {
    items: GrabItem[];
    to?: GrabSender;
  },
): JobSpec<GrabItem> {
  return {
    command: "grab",
    key: JSON.stringify({
      urls: c.items.map((i) => i.url),
      out: opts.out,
      quality: opts.quality,
      audio: opts.audio,
      template: opts.template,
      to: opts.to,
    }),
    args: `${c.items.length} link(s) -> ${opts.out}${opts.to === undefined ? "" : ` -> ${opts.to}`}`,
    plan: async () => {
      // an unknown chat is refused (exit 2) before yt-dlp runs
      await c.to?.check();
      return c.items;
    },
    step: (item, ctx) =>
      grabItem(item, { ...opts, ...c, send: c.to, jobId: ctx.jobId, emit: ctx.emit, signal: ctx.signal }),
  };
}

/** The --to sender, loaded only now: a grab without --to loads no GramJS and needs no login. */
async function _openSender(opts: GrabOptions, to: string, emit: Emit): Promise<GrabSender> {
  if (!opts.accounts?.length) throw new UsageError("--to needs a Telegram account (tgpipe login)");
  const { openGrabSender } = await import("./send_grabbed.ts");
  return await openGrabSender({
    to,
    accounts: opts.accounts,
    deleteAfter: opts.deleteAfter,
    connections: opts.connections,
    stallMs: opts.stallMs,
    tools: opts.media,
    emit,
    signal: opts.signal,
  });
}

function _checkChoices(opts: GrabOptions): void {
  try {
    if (opts.quality !== undefined) checkQuality(opts.quality);
    if (opts.template !== undefined) checkTemplate(opts.template);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (opts.maxBytes !== undefined && !(opts.maxBytes > 0)) throw new UsageError("--max-size must be above 0");
}

function _search(opts: GrabOptions) {
  // only run, never shown: no version probes (`yt-dlp --version` alone is a Python start-up)
  return {
    searchPath: opts.media.searchPath,
    cacheDir: opts.media.cacheDir,
    version: false,
    signal: opts.signal,
  };
}

/** tgpipe's ffmpeg for yt-dlp's merges and audio; none found: yt-dlp looks itself (and says so). */
async function _ffmpeg(opts: GrabOptions): Promise<string | undefined> {
  try {
    return (await findTool("ffmpeg", { ..._search(opts), configured: opts.media.ffmpeg })).path;
  } catch (err) {
    if (err instanceof ToolMissingError) return undefined;
    throw err;
  }
}
