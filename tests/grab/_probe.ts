/** ffprobe of a grabbed file: its streams' codecs, the video height and the duration. */
import { findTool } from "../../lib/tools/find_tool.ts";
import { runTool } from "../../lib/tools/run_tool.ts";

/** What a test checks of a media file. */
export interface Probed {
  video?: string;
  audio?: string;
  height?: number;
  duration: number;
}

/** Runs the real ffprobe on `path`. */
export async function probe(path: string): Promise<Probed> {
  const ffprobe = await findTool("ffprobe", {
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: "/nonexistent",
  });
  const { stdout } = await runTool(ffprobe, [
    "-v",
    "error",
    "-show_streams",
    "-show_format",
    "-of",
    "json",
    path,
  ]);
  const j = JSON.parse(new TextDecoder().decode(stdout)) as {
    streams: Array<{ codec_type: string; codec_name: string; height?: number }>;
    format: { duration?: string };
  };
  const v = j.streams.find((s) => s.codec_type === "video" && s.codec_name !== "mjpeg");
  const a = j.streams.find((s) => s.codec_type === "audio");
  return {
    video: v?.codec_name,
    audio: a?.codec_name,
    height: v?.height,
    duration: Number(j.format.duration ?? 0),
  };
}
