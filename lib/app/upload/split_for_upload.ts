/**
 * `upload --split` for one file over the account's limit: a video is cut at keyframes into
 * pieces that each play (sent as one album), any other file into `name.001, name.002, ...`
 * read in place plus the manifest that lets `tgpipe download` put it back (docs/upload.md).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { TgpipeError } from "../../core/errors.ts";
import { fileRangeSource } from "../../engine/file_range_source.ts";
import { splitFile } from "../../engine/split_file.ts";
import type { SplitManifest } from "../../engine/split_manifest.ts";
import type { UploadSource } from "../../engine/upload_source.ts";
import { splitVideo } from "../../media/split_video.ts";
import type { ResolvedTool } from "../../tools/tool_types.ts";

/** What a split needs from the upload command. */
export interface SplitForUploadOptions {
  /** The largest file the account may send (the server config's part limit × 512 KB). */
  limitBytes: number;
  /** The job's cache folder: video pieces are cut into a temporary folder inside it. */
  cacheDir: string;
  /** Both present: videos are cut into playable pieces; absent: every file is split generically. */
  ffmpeg?: ResolvedTool;
  ffprobe?: ResolvedTool;
  /** The original's name in Telegram; default the path's last segment. */
  name?: string;
  signal?: AbortSignal;
}

/** What to send for one split file. */
export interface SplitUpload {
  /** "video": playable pieces, one album (10 per album at most); "pieces": pieces, then the manifest. */
  kind: "video" | "pieces";
  /** In the order they are to be sent. */
  sources: UploadSource[];
  /** The generic split's manifest (the last source is its file). */
  manifest?: SplitManifest;
  /** Why a video went the generic way (keyframes too far apart, no video stream), for a warning. */
  warning?: string;
  /** Removes the cut video pieces; call it once they are sent or the item failed. */
  cleanup(): Promise<void>;
}

const VIDEO_EXT = /\.(mp4|m4v|mov|mkv|webm|avi|ts|mts|m2ts|mpg|mpeg|3gp|flv|wmv)$/i;

/**
 * Splits `path` for an account whose limit is `limitBytes`. Video pieces go to a temporary
 * folder under `cacheDir`; generic pieces are read from the original by offset (nothing copied).
 */
export async function splitForUpload(path: string, opts: SplitForUploadOptions): Promise<SplitUpload> {
  const name = opts.name ?? path.split(/[/\\]/).at(-1)!;
  let warning: string | undefined;
  if (opts.ffmpeg && opts.ffprobe && VIDEO_EXT.test(name)) {
    // one folder per source file: a rerun after a kill cuts again into the same place (the cut is
    // bit-exact, so pieces a resumed upload already sent are the same bytes) and leaves no orphan
    const dir = join(opts.cacheDir, `split_${createHash("sha256").update(path).digest("hex").slice(0, 16)}`);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await Deno.mkdir(dir, { recursive: true });
    const cleanup = () => Deno.remove(dir, { recursive: true }).catch(() => {});
    try {
      const { pieces } = await splitVideo(path, {
        ...opts,
        ffmpeg: opts.ffmpeg,
        ffprobe: opts.ffprobe,
        dir,
        name,
      });
      const mime = _videoMime(name);
      const sources = pieces.map((p) => fileRangeSource(p.path, { length: p.size, name: p.name, mime }));
      return { kind: "video", sources, cleanup };
    } catch (err) {
      await cleanup();
      // a video that cannot be cut into playable pieces still arrives whole through a generic split
      if (!(err instanceof TgpipeError && err.code === "VIDEO_SPLIT")) throw err;
      warning = `${err.message}: split into pieces to put back with tgpipe download instead`;
    }
  }
  const split = await splitFile(path, { limitBytes: opts.limitBytes, name, signal: opts.signal });
  return {
    kind: "pieces",
    sources: [...split.pieces, split.manifestSource],
    manifest: split.manifest,
    warning,
    cleanup: () => Promise.resolve(),
  };
}

function _videoMime(name: string): string {
  const ext = name.split(".").at(-1)!.toLowerCase();
  if (ext === "mp4" || ext === "m4v") return "video/mp4";
  if (ext === "mov") return "video/quicktime";
  if (ext === "webm") return "video/webm";
  if (ext === "mkv") return "video/x-matroska";
  return "video/" + ext;
}
