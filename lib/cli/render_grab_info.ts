import type { ShowInfoReport } from "../app/grab/show_info.ts";
import { formatBytes, formatDuration } from "../core/format.ts";

type _Info = ShowInfoReport["infos"][number];
type _Quality = _Info["qualities"][number];

/**
 * `grab --info` for people: per link its title, uploader, duration and thumbnail, then a table of
 * the qualities (best last, as yt-dlp sorts them) with the values `--quality` takes.
 */
export function renderGrabInfo(r: ShowInfoReport): string {
  const blocks = r.infos.map(_one);
  for (const f of r.failed) blocks.push(`${f.url}\n  failed: ${f.error.message}\n`);
  return blocks.join("\n");
}

function _one(info: _Info): string {
  const facts = [
    info.extractor ?? info.platform,
    info.uploader,
    info.duration ? formatDuration(info.duration) : undefined,
    info.entries ? `playlist of ${info.entries} (first shown)` : undefined,
  ].filter(Boolean);
  const lines = [info.title, `  ${facts.join(" · ")}`, `  ${info.webpage_url ?? info.url}`];
  if (info.thumbnail) lines.push(`  thumbnail: ${info.thumbnail}`);
  lines.push("");
  const rows = [
    ["ID", "EXT", "RESOLUTION", "FPS", "VIDEO", "AUDIO", "SIZE", "NOTE"],
    ...info.qualities.map(_row),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const row of rows) lines.push(`  ${row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd()}`);
  const heights = [...new Set(info.qualities.map((q) => q.height).filter(Boolean))].sort((a, b) => b! - a!);
  lines.push("");
  if (info.selected) lines.push(`  --quality as asked takes: ${info.selected.join(" + ")}`);
  lines.push(
    `  Choose with --quality <ID>${
      heights.length ? `, --quality ${heights.map((h) => `${h}p`).join("|")}` : ""
    }` +
      ", best or worst; --audio mp3|m4a|opus for the sound only",
  );
  return lines.join("\n") + "\n";
}

function _row(q: _Quality): string[] {
  const res = q.audio_only
    ? "audio only"
    : q.width && q.height
    ? `${q.width}x${q.height}`
    : q.height
    ? `${q.height}p`
    : "?";
  const size = q.size === undefined ? "" : `${q.size_estimated ? "~" : ""}${formatBytes(q.size)}`;
  const note = [q.video_only ? "video only (best audio merged in)" : undefined, q.note].filter(Boolean).join(
    ", ",
  );
  return [
    q.format_id,
    q.ext ?? "",
    res,
    q.fps ? String(q.fps) : "",
    q.vcodec ?? (q.audio_only ? "" : "?"),
    q.acodec ?? (q.video_only ? "" : "?"),
    size,
    note,
  ];
}
