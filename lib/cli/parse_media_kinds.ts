import { InvalidArgumentError } from "@commander-js/extra-typings";
import { MEDIA_KINDS, type MediaKind } from "../core/message.ts";

/** Parses `--media all|none|photo,video,...` into the set of media kinds to keep. */
export function parseMediaKinds(v: string): Set<MediaKind> {
  const parts = v.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  if (parts.length === 1 && parts[0] === "all") return new Set(MEDIA_KINDS);
  if (parts.length === 1 && parts[0] === "none") return new Set();
  for (const p of parts) {
    if (!(MEDIA_KINDS as readonly string[]).includes(p)) {
      throw new InvalidArgumentError(`unknown media kind "${p}" (all, none, ${MEDIA_KINDS.join(", ")})`);
    }
  }
  return new Set(parts as MediaKind[]);
}
