/**
 * Reads a yt-dlp download's output lines (the templates tgpipe gives it, see ytdlp_args.ts) and
 * turns them into tgpipe events: item_stage (download, merge, audio, ...), item_progress over
 * all the streams of the item, the files yt-dlp moved into place, and the --max-size check.
 */
import type { Emit } from "../progress/events.ts";
import { mapQuality } from "./grab_info.ts";

/** The line prefixes of tgpipe's templates (the split in `line()` lists them too). */
export const MARK = {
  info: "tgpipe:info ",
  dl: "tgpipe:dl ",
  pp: "tgpipe:pp ",
  file: "tgpipe:file ",
} as const;

/** One file yt-dlp wrote and moved into place, as its after_move template prints it. */
export interface PrintedFile {
  filepath: string;
  id?: string;
  title?: string;
  uploader?: string;
  webpage_url?: string;
  duration?: number;
  thumbnail?: string;
  ext?: string;
}

/** What the reader needs from its item. */
export interface OutputContext {
  item: string;
  emit: Emit;
  /** Bytes the item may have (--max-size); past it `onTooBig` is called once. */
  maxBytes?: number;
  onTooBig?: (bytes: number) => void;
  /** Called with the final path yt-dlp announces before it downloads. */
  onPlanned?: (path: string) => void;
}

type Dict = Record<string, unknown>;

// yt-dlp reports every block (from 1 KB up); the first, then one per 1% (at least 16 KB) is plenty.
const MIN_STEP = 16 << 10;
const QUIET_PP = new Set(["MoveFiles", "ThumbnailsConvertor"]);

/** Feed it every line of a yt-dlp run; read `files`, `title` and `tooBig` afterwards. */
export class YtDlpOutput {
  readonly files: PrintedFile[] = [];
  /** The title from the info line, once known. */
  title?: string;
  /** The size that broke --max-size, when one did. */
  tooBig?: number;
  /** Where yt-dlp will put the file (from the info line, before the download). */
  plannedFile?: string;
  #planned?: number;
  #streams = new Map<string, { done: number; total?: number }>();
  #lastEmitted = -Infinity;
  #c: OutputContext;

  constructor(c: OutputContext) {
    this.#c = c;
  }

  /** Handles one line of stdout or stderr; lines that are not tgpipe's are ignored. */
  line(text: string): void {
    // yt-dlp ends post-processing progress lines with nothing: several arrive as one line
    for (const piece of text.split(/(?=tgpipe:(?:info|dl|pp|file) )/)) this.#piece(piece.trim());
  }

  #piece(line: string): void {
    for (const [kind, prefix] of Object.entries(MARK)) {
      if (!line.startsWith(prefix)) continue;
      let value: unknown;
      try {
        value = JSON.parse(line.slice(prefix.length));
      } catch {
        return; // a template field yt-dlp could not fill prints "NA"
      }
      if (typeof value !== "object" || value === null) return;
      this.#handle(kind as keyof typeof MARK, value as Dict);
      return;
    }
  }

  #handle(kind: keyof typeof MARK, d: Dict): void {
    switch (kind) {
      case "info":
        return this.#info(d);
      case "dl":
        return this.#progress(d);
      case "pp":
        // renaming into place and the thumbnail JPEG are not stages anyone waits on
        if (d.status === "started" && !QUIET_PP.has(String(d.postprocessor))) {
          this.#stage(_ppStage(String(d.postprocessor)), String(d.postprocessor));
        }
        return;
      case "file":
        if (typeof d.filepath === "string") this.files.push(_printed(d));
        return;
    }
  }

  #info(d: Dict): void {
    if (typeof d.title === "string") this.title = d.title;
    if (typeof d.filename === "string") {
      this.plannedFile = d.filename;
      this.#c.onPlanned?.(d.filename);
    }
    const formats = Array.isArray(d.requested_formats) ? d.requested_formats as Dict[] : [d];
    const sizes = formats.map((f) => mapQuality(f, typeof d.duration === "number" ? d.duration : undefined));
    // only exact sizes refuse a download before it starts; estimates are checked as bytes arrive
    const exact = sizes.every((q) => q.size !== undefined && !q.size_estimated);
    const sum = sizes.reduce((n, q) => n + (q.size ?? 0), 0);
    if (sizes.every((q) => q.size !== undefined)) this.#planned = sum;
    if (exact) this.#check(sum);
  }

  #progress(d: Dict): void {
    const file = typeof d.filename === "string" ? d.filename : "";
    let s = this.#streams.get(file);
    if (!s) {
      s = { done: 0 };
      this.#streams.set(file, s);
      this.#stage("download", _formatOf(file));
    }
    const n = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
    s.done = n(d.downloaded_bytes) ?? s.done;
    s.total = n(d.total_bytes) ?? n(d.total_bytes_estimate) ?? s.total;
    if (n(d.total_bytes) !== undefined) this.#check(this.#sum((x) => x.total ?? x.done));
    const done = this.#sum((x) => x.done);
    this.#check(done);
    const seen = this.#sum((x) => x.total ?? x.done);
    const total = Math.max(this.#planned ?? 0, seen, done);
    const step = Math.max(MIN_STEP, Math.floor(total / 100));
    if (d.status === "finished" || done - this.#lastEmitted >= step) {
      this.#lastEmitted = done;
      this.#c.emit({
        type: "item_progress",
        item: this.#c.item,
        done_bytes: Math.round(done),
        total_bytes: Math.round(total) || undefined,
      });
    }
  }

  #sum(f: (s: { done: number; total?: number }) => number): number {
    let n = 0;
    for (const s of this.#streams.values()) n += f(s);
    return n;
  }

  #check(bytes: number): void {
    const max = this.#c.maxBytes;
    if (max === undefined || bytes <= max || this.tooBig !== undefined) return;
    this.#tooBig(bytes);
  }

  #tooBig(bytes: number): void {
    if (this.tooBig !== undefined) return;
    this.tooBig = bytes;
    this.#c.onTooBig?.(bytes);
  }

  #stage(stage: "download" | "merge" | "audio" | "convert" | "post", detail: string): void {
    this.#c.emit({ type: "item_stage", item: this.#c.item, stage, detail });
  }
}

function _ppStage(name: string): "merge" | "audio" | "convert" | "post" {
  if (name === "Merger") return "merge";
  if (name === "ExtractAudio") return "audio";
  if (/Convertor|Remuxer|FixupM3u8|Fixup/.test(name)) return "convert";
  return "post";
}

/** "name [id].f400.mp4" -> "format 400"; a single-format download names the file. */
function _formatOf(file: string): string {
  const m = /\.f([\w-]+)\.\w+$/.exec(file);
  return m ? `format ${m[1]}` : file.split(/[\\/]/).at(-1) ?? file;
}

function _printed(d: Dict): PrintedFile {
  const s = (v: unknown) => typeof v === "string" && v !== "" && v !== "NA" ? v : undefined;
  return {
    filepath: String(d.filepath),
    id: s(d.id),
    title: s(d.title),
    uploader: s(d.uploader),
    webpage_url: s(d.webpage_url),
    duration: typeof d.duration === "number" ? d.duration : undefined,
    thumbnail: s(d.thumbnail),
    ext: s(d.ext),
  };
}
