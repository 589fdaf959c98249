/** The part of sharp's API tgpipe uses (kept small so the ffmpeg fallback can stand in). */
export interface SharpLike {
  (input: string | Uint8Array, opts?: { animated?: boolean; failOn?: string }): SharpPipeline;
}

/** A sharp pipeline: rotate (EXIF), resize, encode. */
export interface SharpPipeline {
  rotate(): SharpPipeline;
  resize(opts: { width: number; height: number; fit: "inside"; withoutEnlargement: boolean }): SharpPipeline;
  webp(opts: { quality: number }): SharpPipeline;
  jpeg(opts: { quality: number; mozjpeg?: boolean }): SharpPipeline;
  toFile(path: string): Promise<{ size: number; width: number; height: number }>;
}

let _loaded: Promise<SharpLike | undefined> | undefined;

/**
 * Loads npm:sharp once. Its native libvips binary may be missing for this platform (or inside a
 * compiled binary); then this resolves undefined and callers use the ffmpeg fallback.
 */
export function loadSharp(): Promise<SharpLike | undefined> {
  _loaded ??= import("sharp").then((m) => (m.default ?? m) as unknown as SharpLike, () => undefined);
  return _loaded;
}
