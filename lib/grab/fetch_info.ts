import { ToolFailedError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { classifyYtDlpError } from "./classify_error.ts";
import { type GrabInfo, mapInfo } from "./grab_info.ts";
import type { Selection } from "./select_format.ts";
import { infoArgs, type YtDlpCommon } from "./ytdlp_args.ts";

/**
 * What `url` offers (`yt-dlp -J`, through runTool): title, uploader, duration, thumbnail and
 * qualities, plus the format(s) the selection would take.
 *
 * @throws {GrabError} classified from yt-dlp's stderr
 */
export async function fetchInfo(
  ytDlp: ResolvedTool,
  url: string,
  opts: YtDlpCommon & Selection & { signal?: AbortSignal },
): Promise<GrabInfo> {
  let stdout: Uint8Array;
  try {
    ({ stdout } = await runTool(ytDlp, infoArgs(url, opts), { signal: opts.signal }));
  } catch (err) {
    if (opts.signal?.aborted || !(err instanceof ToolFailedError)) throw err;
    throw classifyYtDlpError(err.stderrTail, { url, hint: opts.platform.hint });
  }
  return mapInfo(JSON.parse(new TextDecoder().decode(stdout)), { url, platform: opts.platform.id });
}
