/**
 * The argument lists tgpipe gives yt-dlp, built from the platform entry and the request:
 * `-J` for --info, and a download whose progress, info and final paths come back as tgpipe's
 * own JSON lines (see ytdlp_output.ts). Never a shell: each value is one argument.
 */
import { isAbsolute, normalize } from "node:path";
import type { Platform } from "./platforms.ts";
import { type Selection, selectionArgs } from "./select_format.ts";
import { MARK } from "./ytdlp_output.ts";

/** What every yt-dlp run of one link shares. */
export interface YtDlpCommon {
  platform: Platform;
  /** A Netscape cookies file for sites that want a login (--cookies). */
  cookies?: string;
  /** The ffmpeg yt-dlp merges and converts with (tgpipe's resolved one); default yt-dlp's search. */
  ffmpegPath?: string;
  /** yt-dlp's own retries of a request or fragment; default 3. */
  retries?: number;
}

/** A download request. */
export interface YtDlpDownload extends YtDlpCommon, Selection {
  /** Where finished files go (yt-dlp's home path). */
  out: string;
  /** Where its .part and intermediate files go (kept between runs so a rerun continues them). */
  tempDir: string;
  /** Output template relative to `out`, yt-dlp syntax; default the platform's. */
  template?: string;
  /**
   * Bytes the item may have (--max-size): checked by tgpipe against the sizes yt-dlp announces and
   * the bytes as they arrive (yt-dlp's own --max-filesize skips silently under --print).
   */
  maxBytes?: number;
}

const INFO_FIELDS = "id,title,filename,uploader,channel,duration,thumbnail,webpage_url,extractor_key," +
  "format_id,requested_formats,filesize,filesize_approx,tbr,ext,height,vcodec,acodec";
const FILE_FIELDS = "filepath,id,title,uploader,webpage_url,duration,thumbnail,ext";
const PROGRESS_FIELDS = "status,downloaded_bytes,total_bytes,total_bytes_estimate,filename";

/** The options shared by every run: no user config, the platform's defaults, cookies, ffmpeg. */
export function commonArgs(c: YtDlpCommon): string[] {
  const retries = String(c.retries ?? 3);
  return [
    // a user's yt-dlp.conf (-o, -f, --exec ...) would change what tgpipe reads back
    "--ignore-config",
    "--no-color",
    // one progress line per update, never carriage returns
    "--newline",
    "--retries",
    retries,
    "--fragment-retries",
    retries,
    ...c.platform.ytDlpArgs,
    ...(c.cookies ? ["--cookies", c.cookies] : []),
    ...(c.ffmpegPath ? ["--ffmpeg-location", c.ffmpegPath] : []),
  ];
}

/** `yt-dlp -J` for --info (with the selection, so yt-dlp also says which format it would take). */
export function infoArgs(url: string, c: YtDlpCommon & Selection): string[] {
  return [...commonArgs(c), "-J", ...selectionArgs(c), "--", url];
}

/**
 * The download: the selection, the paths, and three templates whose lines tgpipe reads: the info
 * before the download (sizes for --max-size), progress as JSON, the final path after the move.
 */
export function downloadArgs(url: string, d: YtDlpDownload): string[] {
  const template = d.template ?? d.platform.template;
  checkTemplate(template);
  return [
    ...commonArgs(d),
    ...selectionArgs(d),
    "--no-simulate",
    "--progress",
    "--progress-template",
    `download:${MARK.dl}%(progress.{${PROGRESS_FIELDS}})j`,
    "--progress-template",
    `postprocess:${MARK.pp}%(progress.{status,postprocessor})j`,
    "--print",
    `video:${MARK.info}%(.{${INFO_FIELDS}})j`,
    "--print",
    `after_move:${MARK.file}%(.{${FILE_FIELDS}})j`,
    "--write-thumbnail",
    "--convert-thumbnails",
    "jpg",
    // a rerun after a stop or a dropped connection continues the .part files in tempDir
    "--continue",
    "-P",
    d.out,
    "-P",
    `temp:${d.tempDir}`,
    "-o",
    template,
    "-o",
    `thumbnail:${_stem(template)}.%(ext)s`,
    "--",
    url,
  ];
}

/**
 * Checks an output template: relative, inside --out, and naming its extension.
 *
 * @throws {RangeError} for an absolute path, a `..` step, or no `%(ext)s`
 */
export function checkTemplate(template: string): void {
  if (template.trim() === "") throw new RangeError("--template is empty");
  if (isAbsolute(template) || normalize(template).split(/[\\/]/).includes("..")) {
    throw new RangeError(`--template must stay inside --out, got ${template}`);
  }
  if (!template.includes("%(ext)s")) {
    throw new RangeError(`--template must end in .%(ext)s so files keep their type, got ${template}`);
  }
}

function _stem(template: string): string {
  return template.replace(/\.%\(ext\)s$/, "");
}
