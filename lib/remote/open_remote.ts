/** Picks the target of `sync`: `name:path` (or `:backend,opts:path`) is rclone's, anything else a local directory. */
import { TgpipeError } from "../core/errors.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";
import { LocalRemote } from "./local_remote.ts";
import type { Remote } from "./remote.ts";
import { RcloneRemote, type RcloneRemoteOptions } from "./rclone_remote.ts";

/** Whether `target` names an rclone remote rather than a local directory. */
export function isRcloneTarget(target: string): boolean {
  // "C:\dir" is a Windows drive, not a remote called C
  if (/^[a-z]:[\\/]/i.test(target)) return false;
  return /^[^/\\:]+:/.test(target) || /^:[a-z]+[,:]/i.test(target);
}

/** The remote for `target`; `rclone` is needed (and found by the caller) only for rclone targets. */
export function openRemote(
  target: string,
  opts: { rclone?: () => Promise<ResolvedTool> } & Omit<RcloneRemoteOptions, "rclone">,
): Promise<Remote> | Remote {
  if (!isRcloneTarget(target)) return new LocalRemote(target);
  if (!opts.rclone) throw new RangeError("An rclone target needs rclone");
  return opts.rclone().then((rclone) => {
    checkRcloneVersion(rclone);
    return new RcloneRemote(target, { ...opts, rclone });
  });
}

/** The oldest rclone sync works with: `rcat --size` came in 1.59. */
export const MIN_RCLONE = [1, 59] as const;

/** Throws when rclone says it is older than {@link MIN_RCLONE}; an unknown version is let through. */
export function checkRcloneVersion(rclone: Pick<ResolvedTool, "version" | "path">): void {
  const m = /^v?(\d+)\.(\d+)/.exec(rclone.version ?? "");
  if (!m) return;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major > MIN_RCLONE[0] || (major === MIN_RCLONE[0] && minor >= MIN_RCLONE[1])) return;
  throw new TgpipeError(
    `rclone ${rclone.version} at ${rclone.path} is too old for sync: ${
      MIN_RCLONE.join(".")
    } or newer is needed`,
    { code: "TOOL_VERSION", data: { tool: "rclone", version: rclone.version, min: MIN_RCLONE.join(".") } },
  );
}
