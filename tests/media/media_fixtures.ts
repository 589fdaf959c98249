/** Shared helpers for media tests: real tools, generated media, a processor context. */
import { join } from "node:path";
import { findTool } from "../../lib/tools/find_tool.ts";
import { runTool } from "../../lib/tools/run_tool.ts";
import type { ResolvedTool } from "../../lib/tools/tool_types.ts";
import type {
  MediaItem,
  MediaKind,
  MediaOptions,
  MediaTools,
  ProcessorContext,
} from "../../lib/media/post_processor.ts";
import type { EventBody } from "../../lib/progress/events.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The real voice note from the Telegram Desktop samples. */
export const SAMPLE_VOICE = new URL(
  "../../../shared/data/tdesktop/tg2md/voice_messages/audio_1@12-11-2020_13-01-05.ogg",
  import.meta.url,
).pathname;

let _tools: Promise<Required<MediaTools>> | undefined;

/** ffmpeg, ffprobe (PATH) and whisper-cli (.cache/whisper, built by scripts/build_whisper.sh). */
export function realTools(): Promise<Required<MediaTools>> {
  _tools ??= (async () => {
    const searchPath = Deno.env.get("PATH") ?? "";
    const cacheDir = join(ROOT, ".cache");
    const [ffmpeg, ffprobe] = await Promise.all([
      findTool("ffmpeg", { searchPath, cacheDir }),
      findTool("ffprobe", { searchPath, cacheDir }),
    ]);
    return { ffmpeg, ffprobe, whisperCli: await whisperCli() };
  })();
  return _tools;
}

/** The whisper-cli built for tests; fails with a message naming the build script. */
export async function whisperCli(): Promise<ResolvedTool> {
  const path = join(ROOT, ".cache/whisper/bin/whisper-cli");
  await _mustExist(path);
  return { name: "whisper-cli", path, source: "configured" };
}

/** The deterministic test model (decodes "hello world" for any audio). */
export async function testModel(): Promise<string> {
  const path = join(ROOT, ".cache/whisper/test-model.bin");
  await _mustExist(path);
  return path;
}

async function _mustExist(path: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch {
    throw new Error(
      `${path} is missing: run scripts/build_whisper.sh first (builds whisper-cli and the test model)`,
    );
  }
}

/** Runs ffmpeg with `args` (lavfi sources) to make a test file. */
export async function ffmpegMake(out: string, args: string[]): Promise<string> {
  const { ffmpeg } = await realTools();
  await runTool(ffmpeg, ["-hide_banner", "-nostdin", "-y", "-v", "error", ...args, out], {
    stdout: "discard",
  });
  return out;
}

/** A sine tone of `seconds` as Ogg/Opus, like a Telegram voice note. */
export function makeVoice(dir: string, seconds: number, name = "voice.ogg"): Promise<string> {
  return ffmpegMake(join(dir, name), [
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:duration=${seconds}`,
    "-c:a",
    "libopus",
  ]);
}

/** A testsrc video with a tone, `w`x`h`, `seconds` long (H.264 + AAC in MP4). */
export function makeVideo(
  dir: string,
  seconds: number,
  size = "320x240",
  name = "clip.mp4",
): Promise<string> {
  return ffmpegMake(join(dir, name), [
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${size}:rate=25:duration=${seconds}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=300:duration=${seconds}`,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
  ]);
}

/** A testsrc still image (JPEG, or whatever the extension says). */
export function makeImage(dir: string, size = "640x480", name = "photo.jpg"): Promise<string> {
  return ffmpegMake(join(dir, name), [
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${size}:duration=1`,
    "-frames:v",
    "1",
  ]);
}

/** A MediaItem for a file on disk. */
export async function itemOf(path: string, kind: MediaKind, mime?: string): Promise<MediaItem> {
  return { path, kind, mime, size: (await Deno.stat(path)).size };
}

/** A processor context with real tools (override any field), collecting events. */
export async function makeCtx(
  cacheDir: string,
  options: MediaOptions = {},
  over: Partial<ProcessorContext> = {},
): Promise<ProcessorContext & { events: EventBody[] }> {
  const events: EventBody[] = [];
  return {
    signal: new AbortController().signal,
    tools: await realTools(),
    cacheDir,
    options,
    emit: (e) => events.push(e),
    previous: {},
    ...over,
    events,
  };
}

/** Names of every file under `dir` (recursive), sorted, relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, prefix: string) => {
    for await (const e of Deno.readDir(d)) {
      if (e.isDirectory) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out.push(prefix + e.name);
    }
  };
  await walk(dir, "");
  return out.sort();
}

/** Writes the first `keep` bytes of `src` to `out`: truncated media. */
export async function truncate(src: string, out: string, keep: number): Promise<string> {
  const data = await Deno.readFile(src);
  await Deno.writeFile(out, data.subarray(0, keep));
  return out;
}
