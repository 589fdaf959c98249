import type { ResolvedTool } from "../tools/tool_types.ts";
import { runTool } from "../tools/run_tool.ts";
import { type EncoderDevices, parseEncoders } from "./pick_encoder.ts";

/** What this machine's ffmpeg can encode with, and which GPU devices exist. */
export interface EncoderSupport {
  encoders: Set<string>;
  devices: EncoderDevices;
}

// One `ffmpeg -encoders` per ffmpeg binary per process: it does not change while we run.
const _cache = new Map<string, Promise<EncoderSupport>>();

/** Lists ffmpeg's encoders and probes /dev for VA-API/QSV render nodes and NVIDIA devices. */
export function detectEncoders(
  ffmpeg: ResolvedTool,
  opts: { signal?: AbortSignal } = {},
): Promise<EncoderSupport> {
  let found = _cache.get(ffmpeg.path);
  if (!found) {
    found = _detect(ffmpeg, opts.signal);
    _cache.set(ffmpeg.path, found);
    found.catch(() => _cache.delete(ffmpeg.path));
  }
  return found;
}

async function _detect(ffmpeg: ResolvedTool, signal?: AbortSignal): Promise<EncoderSupport> {
  const { stdout } = await runTool(ffmpeg, ["-hide_banner", "-encoders"], { signal, timeoutMs: 15_000 });
  const encoders = parseEncoders(new TextDecoder().decode(stdout));
  return { encoders, devices: { renderNode: await _renderNode(), nvidia: await _exists("/dev/nvidia0") } };
}

async function _renderNode(): Promise<string | undefined> {
  try {
    for await (const e of Deno.readDir("/dev/dri")) {
      if (e.name.startsWith("renderD")) return `/dev/dri/${e.name}`;
    }
  } catch {
    // No /dev/dri (containers, macOS, Windows): no VA-API/QSV.
  }
  return undefined;
}

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
