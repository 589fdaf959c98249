/** The links of one `tgpipe grab` run as job items, checked before any work starts. */
import { UsageError } from "../../core/errors.ts";
import type { JobItem } from "../../engine/job_types.ts";
import { detectPlatform, type Platform } from "../../grab/platforms.ts";

/** One link to grab. */
export interface GrabItem extends JobItem {
  url: string;
  platform: Platform;
}

/**
 * One item per distinct link, in the order given (the link is the item id: stable across runs).
 *
 * @throws {UsageError} for no links, or one that is not an http(s) URL (exit 2, nothing started)
 */
export function planLinks(urls: readonly string[]): GrabItem[] {
  const seen = new Set<string>();
  const items: GrabItem[] = [];
  for (const raw of urls) {
    const url = raw.trim();
    if (url === "" || seen.has(url)) continue;
    seen.add(url);
    let platform: Platform;
    try {
      platform = detectPlatform(url);
    } catch (err) {
      throw new UsageError((err as Error).message, { url });
    }
    items.push({ id: url, name: _short(url), url, platform });
  }
  if (items.length === 0) throw new UsageError("No links to grab: pass URLs or --from-file");
  return items;
}

/** A name for bars: host and path, without the scheme and the query's tracking noise. */
function _short(url: string): string {
  const u = new URL(url);
  const name = `${u.host}${u.pathname}${u.searchParams.has("v") ? `?v=${u.searchParams.get("v")}` : ""}`;
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}
