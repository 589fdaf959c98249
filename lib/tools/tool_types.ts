/** The external programs tgpipe knows how to find and run. */
export type ToolName =
  | "ffmpeg"
  | "ffprobe"
  | "whisper-cli"
  | "rclone"
  | "yt-dlp"
  | "python3-telethon"
  | "fpcalc";

/** A tool located on this machine: where it is, its version when known, and how it was found. */
export interface ResolvedTool {
  name: ToolName;
  path: string;
  version?: string;
  source: "configured" | "path" | "bundled";
}
