import type { BroadcastView } from "../../app/bot/admin_queries.ts";
import { formatBytes } from "../../core/format.ts";
import type { BotSettings, BotUserRecord, DownloadRecord } from "../../core/bot_records.ts";
import { renderTable, tableCell, tableTime } from "../render_table.ts";

/** `bot users` as a table. */
export function renderBotUsers(users: BotUserRecord[]): string {
  if (users.length === 0) return "No bot users\n";
  return renderTable(
    ["ID", "USERNAME", "NAME", "DOWNLOADS", "PREMIUM", "BANNED", "LAST SEEN"],
    users.map((u) => [
      u.id,
      u.username ? `@${u.username}` : "-",
      tableCell([u.first_name, u.last_name].filter(Boolean).join(" ") || undefined, 30),
      String(u.download_count),
      u.premium ? "yes" : "no",
      u.banned ? "yes" : "no",
      tableTime(u.last_seen),
    ]),
  );
}

/** `bot history` as a table. */
export function renderBotHistory(list: DownloadRecord[]): string {
  if (list.length === 0) return "No downloads\n";
  return renderTable(
    ["TIME", "USER", "PLATFORM", "STATUS", "FORMAT", "SIZE", "TITLE OR URL"],
    list.map((d) => [
      tableTime(d.created_at),
      d.user_id,
      d.platform,
      d.status,
      d.format ?? "-",
      d.size !== undefined ? formatBytes(d.size) : "-",
      tableCell(d.status === "failed" && d.error ? `${d.title ?? d.url}: ${d.error}` : d.title ?? d.url, 60),
    ]),
  );
}

/** `bot settings` as aligned name/value lines. */
export function renderBotSettings(s: BotSettings): string {
  const rows: Array<[string, string]> = [
    ["enabled", s.enabled ? "yes" : "no"],
    ["rate limit", `${s.rate_limit_per_minute}/min`],
    ["premium rate limit", `${s.premium_rate_limit_per_minute}/min`],
    ["max file size", formatBytes(s.max_file_size)],
    ["premium max file size", formatBytes(s.premium_max_file_size)],
    ["maintenance", s.maintenance_message ?? "off"],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n";
}

/** The broadcast list as a table. */
export function renderBroadcasts(list: BroadcastView[]): string {
  if (list.length === 0) return "No broadcasts\n";
  return renderTable(
    ["ID", "CREATED", "STATUS", "SENT", "FAILED", "BLOCKED", "MESSAGE"],
    list.map((b) => [
      b.id,
      tableTime(b.created_at),
      b.status,
      String(b.sent),
      String(b.failed),
      String(b.blocked),
      tableCell(b.media_path ? `[${b.media_path.split("/").pop()}] ${b.text ?? ""}` : b.text, 50),
    ]),
  );
}
