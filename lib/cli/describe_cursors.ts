/**
 * A job's saved progress (its cursors in the store) in people's words for `status <job>`: what
 * each chat reached, how many files have parts saved, what a sync recorded. The raw keys and
 * values stay in `--json`.
 */

/** One line per chat or kind of record, in the order first seen. */
export function describeCursors(cursors: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const [key, value] of Object.entries(cursors)) {
    const kind = /^(ledger|upload|send):/.exec(key)?.[1];
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    else lines.push(_one(key, value));
  }
  const files = counts.get("ledger") ?? 0;
  if (files > 0) lines.push(`${_n(files, "file")} with parts saved to resume from`);
  const uploads = counts.get("upload") ?? 0;
  if (uploads > 0) lines.push(`${_n(uploads, "upload")} to Telegram started (resumed within a day)`);
  const sends = counts.get("send") ?? 0;
  if (sends > 0) lines.push(`${_n(sends, "message")} sent or about to be (never sent twice)`);
  return lines;
}

function _one(key: string, value: unknown): string {
  // export: chat:<id>[/topic:<t>]|<layout> -> a page checkpoint
  const chat = /^chat:(\d+)(?:\/topic:(\d+))?\|(\w+)$/.exec(key);
  if (chat && _isObject(value) && typeof value.last_id === "number") {
    const where = `chat ${chat[1]}${chat[2] ? ` topic ${chat[2]}` : ""} (${chat[3]} layout)`;
    const lines = typeof value.lines === "number" ? `, ${_n(value.lines, "message")} written` : "";
    return value.done === true
      ? `${where}: done, up to message ${value.last_id}${lines}`
      : `${where}: up to message ${value.last_id}${lines}; the next run continues after it`;
  }
  if (_isObject(value) && typeof value.watermark === "number") {
    return `sync: up to message ${value.watermark}${
      typeof value.files_uploaded === "number" ? `, ${_n(value.files_uploaded, "file")} uploaded` : ""
    }`;
  }
  return `${key}: ${JSON.stringify(value)}`;
}

function _n(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

function _isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
