import { basename, extname } from "node:path";
import { TgpipeError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";

/** What a reply names: the title, and the artist when known. */
export interface TrackTags {
  title: string;
  artist?: string;
}

/**
 * Title and artist from a file's tags (format and stream tags, any case, via ffprobe), else from
 * its name: "Artist - Title.mp3" splits in two, any other name is the title. Without ffprobe, or
 * when it fails, the name is used.
 */
export async function readTrackTags(
  ffprobe: ResolvedTool | undefined,
  path: string,
  signal?: AbortSignal,
): Promise<TrackTags> {
  const fromName = tagsFromName(path);
  if (!ffprobe) return fromName;
  let tags: Record<string, string>;
  try {
    const { stdout } = await runTool(ffprobe, [
      "-v",
      "error",
      "-show_entries",
      "format_tags:stream_tags",
      "-of",
      "json",
      path,
    ], { signal, timeoutMs: 30_000, maxStdoutBytes: 1 << 20 });
    tags = _collect(JSON.parse(new TextDecoder().decode(stdout)));
  } catch (err) {
    // The fingerprint already read the file; a tag reader that fails only loses the nicer name.
    if (err instanceof TgpipeError || err instanceof SyntaxError) return fromName;
    throw err;
  }
  const title = tags.title?.trim();
  const artist = (tags.artist ?? tags.album_artist)?.trim();
  if (!title) return artist ? { ...fromName, artist: fromName.artist ?? artist } : fromName;
  return artist ? { title, artist } : { title };
}

/** Title and artist from a file name alone ("Artist - Title.ext", else the name is the title). */
export function tagsFromName(path: string): TrackTags {
  const stem = basename(path, extname(path)).replaceAll("_", " ").trim();
  const m = stem.match(/^(.+?)\s+[-–]\s+(.+)$/);
  return m ? { title: m[2].trim(), artist: m[1].trim() } : { title: stem || basename(path) };
}

// format tags win over stream tags (Ogg keeps them on the stream); keys compared in lower case.
function _collect(
  json: { format?: { tags?: object }; streams?: Array<{ tags?: object }> },
): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (tags: object | undefined) => {
    for (const [k, v] of Object.entries(tags ?? {})) {
      const key = k.toLowerCase();
      if (typeof v === "string" && v.trim() !== "" && !(key in out)) out[key] = v;
    }
  };
  add(json.format?.tags);
  for (const s of json.streams ?? []) add(s.tags);
  return out;
}
