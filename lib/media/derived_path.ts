import { basename, dirname, extname, join } from "node:path";

/**
 * Path of a file derived from `mediaPath`: `<outDir or its dir>/<stem><suffix>`, e.g.
 * `voice.ogg` + `.srt` -> `voice.srt`.
 *
 * @example
 * ```ts
 * derivedPath("/x/clip.mp4", ".thumb.webp"); // "/x/clip.thumb.webp"
 * ```
 */
export function derivedPath(mediaPath: string, suffix: string, opts: { outDir?: string } = {}): string {
  const base = basename(mediaPath);
  const ext = extname(base);
  const stem = ext.length > 0 && ext.length < base.length ? base.slice(0, -ext.length) : base;
  return join(opts.outDir ?? dirname(mediaPath), stem + suffix);
}
