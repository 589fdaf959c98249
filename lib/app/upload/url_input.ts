/**
 * An http(s) argument of `tgpipe upload` as an input. The URL is only asked for in the item's own
 * step (`open`), so an origin that answers 404 or cannot be reached fails that item with its
 * category (the run goes on and exits 3) instead of the whole run; until then the input carries a
 * source named from the URL, of unknown size, sorted last.
 */
import { safeOrigin } from "../../engine/http_get.ts";
import { fileNameOf } from "../../engine/http_meta.ts";
import type { UploadSource } from "../../engine/upload_source.ts";
import { openUrlSource } from "../../engine/url_source.ts";

/** How URL inputs fetch. */
export interface UrlInputOptions {
  /** A silent origin this long is a stall (resumed by Range like a drop). */
  stallMs?: number;
}

/** The input for `url` (id `url:<url>`, stable across runs); TypeError for a malformed URL. */
export function urlInput(url: string, opts: UrlInputOptions = {}): {
  id: string;
  source: UploadSource;
  open(signal: AbortSignal): Promise<UploadSource>;
} {
  const origin = safeOrigin(url);
  // each call asks the origin again: a retry sees whether it honours Range now, and its length
  const open = (signal: AbortSignal) => openUrlSource(url, { stallMs: opts.stallMs, signal });
  const source: UploadSource = {
    name: fileNameOf(null, url),
    size: undefined,
    origin,
    seekable: false,
    // read without the step's open (not done by the upload, but a source must work on its own)
    async *open(offset, signal) {
      yield* (await open(signal)).open(offset, signal);
    },
  };
  return { id: `url:${origin}`, source, open };
}
