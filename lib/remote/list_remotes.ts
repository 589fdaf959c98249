/** The remotes of rclone's configuration (`rclone listremotes`), for doctor and error hints. */
import { ToolFailedError } from "../core/errors.ts";
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";

/** Names with their colon ("gdrive:"), in rclone's order; rclone's own config unless `config` is given. */
export async function listRemotes(
  rclone: ResolvedTool,
  opts: { config?: string; signal?: AbortSignal } = {},
): Promise<string[]> {
  const config = opts.config !== undefined ? ["--config", opts.config] : [];
  try {
    const r = await runTool(rclone, ["listremotes", ...config], { signal: opts.signal, timeoutMs: 20_000 });
    return new TextDecoder().decode(r.stdout).split("\n").map((l) => l.trim()).filter(Boolean);
  } catch (err) {
    // no config file at all is "no remotes", not a failure
    if (err instanceof ToolFailedError && /not found|no such file/i.test(err.stderrTail)) return [];
    throw err;
  }
}
