/** Picks the target of `sync`: `name:path` (or `:backend,opts:path`) is rclone's, anything else a local directory. */
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
  return opts.rclone().then((rclone) => new RcloneRemote(target, { ...opts, rclone }));
}
