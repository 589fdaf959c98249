/**
 * `tgpipe grab --info`: what each link offers (title, uploader, duration, thumbnail, qualities)
 * from `yt-dlp -J`, without downloading. A query, not a job: nothing is recorded; a link that
 * fails is reported (item_failed, with yt-dlp's stderr tail) and the others are still shown.
 */
import { toTgpipeError, UsageError } from "../../core/errors.ts";
import type { ExitCodeValue } from "../../core/exit_codes.ts";
import { exitCodeOf } from "../../engine/job_types.ts";
import { fetchInfo } from "../../grab/fetch_info.ts";
import type { GrabInfo } from "../../grab/grab_info.ts";
import { type AudioFormat, checkQuality } from "../../grab/select_format.ts";
import type { Emit, EventError } from "../../progress/events.ts";
import { findTool } from "../../tools/find_tool.ts";
import { copyCookies } from "./copy_cookies.ts";
import { planLinks } from "./grab_plan.ts";

/** Options of {@link showInfo}. */
export interface ShowInfoOptions {
  urls: string[];
  /** With a quality, each info also says which format(s) it would take. */
  quality?: string;
  audio?: AudioFormat;
  cookies?: string;
  ytDlp?: string;
  searchPath: string;
  cacheDir: string;
  emit?: Emit;
  signal?: AbortSignal;
}

/** What --info found: the infos, the links that failed, and the exit code (3 when some failed). */
export interface ShowInfoReport {
  infos: GrabInfo[];
  failed: Array<{ url: string; error: EventError }>;
  exit_code: ExitCodeValue;
}

/** Reads each link's info in turn (see module comment). */
export async function showInfo(opts: ShowInfoOptions): Promise<ShowInfoReport> {
  const emit: Emit = opts.emit ?? (() => {});
  const items = planLinks(opts.urls);
  try {
    if (opts.quality !== undefined) checkQuality(opts.quality);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const ytDlp = await findTool("yt-dlp", { ...opts, configured: opts.ytDlp });
  const tmp = opts.cookies ? await Deno.makeTempDir({ prefix: "tgpipe_grab_" }) : undefined;
  try {
    const cookies = opts.cookies ? await copyCookies(opts.cookies, tmp!) : undefined;
    const report: ShowInfoReport = { infos: [], failed: [], exit_code: 0 };
    for (const item of items) {
      try {
        const info = await fetchInfo(ytDlp, item.url, { ...opts, platform: item.platform, cookies });
        report.infos.push(info);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        const e = toTgpipeError(err);
        const error = { code: e.code, message: e.message, data: { ...e.data } };
        emit({ type: "item_failed", item: item.id, error });
        report.failed.push({ url: item.url, error });
      }
    }
    report.exit_code = exitCodeOf({ items: items.length, failed: report.failed.length, partial: 0 });
    return report;
  } finally {
    if (tmp) await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
