import { runTool } from "./run_tool.ts";
import type { ResolvedTool, ToolName } from "./tool_types.ts";

const VERSION_TIMEOUT_MS = 20_000;

/** The arguments that make each tool print its version, and how to read the answer. */
const PROBES: Record<ToolName, { args: string[]; parse: (out: string) => string | undefined }> = {
  ffmpeg: { args: ["-hide_banner", "-version"], parse: _ffmpeg },
  ffprobe: { args: ["-hide_banner", "-version"], parse: _ffmpeg },
  // whisper.cpp 1.9 prints "whisper.cpp version: 1.9.1"; older builds only have --help.
  "whisper-cli": { args: ["--version"], parse: _whisper },
  rclone: { args: ["version"], parse: (o) => _firstLine(o).replace(/^rclone\s+/, "") || undefined },
  "yt-dlp": { args: ["--version"], parse: (o) => _firstLine(o) || undefined },
  "python3-telethon": {
    args: ["-c", "import telethon;print(telethon.__version__)"],
    parse: (o) => _firstLine(o) || undefined,
  },
  // "fpcalc version 1.5.1 (FFmpeg Lavc59.18.100 ...)"
  fpcalc: { args: ["-version"], parse: _ffmpeg },
};

/**
 * Asks a tool for its version (ffmpeg -version, rclone version, yt-dlp --version, ...).
 * Throws ToolFailedError when the tool does not run; returns undefined when it runs but prints
 * nothing recognisable.
 */
export async function toolVersion(
  tool: Pick<ResolvedTool, "name" | "path">,
  opts: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const probe = PROBES[tool.name];
  const r = await runTool({ ...tool, source: "path" }, probe.args, {
    signal: opts.signal,
    timeoutMs: VERSION_TIMEOUT_MS,
    maxStdoutBytes: 1 << 20,
  });
  const text = new TextDecoder().decode(r.stdout);
  return probe.parse(text.trim() === "" ? r.stderrTail : text);
}

function _firstLine(s: string): string {
  return s.trim().split("\n")[0]?.trim() ?? "";
}

function _ffmpeg(out: string): string | undefined {
  const line = _firstLine(out);
  const m = /\bversion\s+(\S+)/.exec(line);
  return m ? m[1] : line || undefined;
}

function _whisper(out: string): string | undefined {
  const m = /version:?\s*v?(\d+\.\d+\.\d+\S*)/i.exec(out);
  return m ? m[1] : undefined;
}
