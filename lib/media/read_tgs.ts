import { gunzipSync } from "node:zlib";

/** What a Telegram animated sticker (.tgs, gzipped Lottie JSON) declares about itself. */
export interface TgsInfo {
  width: number;
  height: number;
  fps: number;
  frames: number;
  duration_s: number;
}

/**
 * Reads a .tgs file's Lottie header. Rendering Lottie needs a vector renderer tgpipe does not
 * ship, so callers record this metadata and skip the preview with a warning.
 * Throws SyntaxError when the file is not gzipped Lottie JSON.
 */
export async function readTgs(path: string): Promise<TgsInfo> {
  const raw = await Deno.readFile(path);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder().decode(gunzipSync(raw)));
  } catch (err) {
    throw new SyntaxError(`Not a gzipped Lottie file: ${(err as Error).message}`);
  }
  const w = Number(doc.w),
    h = Number(doc.h),
    fr = Number(doc.fr),
    ip = Number(doc.ip ?? 0),
    op = Number(doc.op);
  if (![w, h, fr, op].every(Number.isFinite) || fr <= 0) {
    throw new SyntaxError("Lottie header lacks w/h/fr/op");
  }
  const frames = Math.max(0, op - ip);
  return { width: w, height: h, fps: fr, frames, duration_s: Math.round((frames / fr) * 1000) / 1000 };
}
