import type { Chat } from "../core/message.ts";
import type { ChatExportSummary } from "./chat_export_summary.ts";
import { escapeMarkdown } from "./escape_markdown.ts";
import type { ExportLayout } from "./export_layout.ts";
import { toYaml } from "./yaml.ts";

/**
 * The chat index: `index.md` (front matter, counts, links to topics, days or first/last note)
 * and `chat.json` (the Chat model plus the export summary).
 */
export function renderChatIndex(
  chat: Chat,
  sum: ChatExportSummary,
  opts: {
    layout: ExportLayout;
    days: readonly string[];
    /** First note of each month ("YYYY-MM"), in order. */
    months?: readonly (readonly [string, string])[];
    /** First note of each topic. */
    topicFirst?: ReadonlyMap<number, string>;
  },
): { indexMd: string; chatJson: string } {
  const fm = toYaml({
    chat_id: chat.id,
    title: chat.title,
    kind: chat.kind,
    username: chat.username,
    layout: sum.layout,
    messages: sum.messages,
    notes: sum.notes,
    media_files: sum.media_files,
    first_id: sum.first_id,
    last_id: sum.last_id,
    first_date: _iso(sum.first_date),
    last_date: _iso(sum.last_date),
  });
  const e = (s: string) => escapeMarkdown(s, { atLineStart: false });
  const lines = [`# ${e(chat.title)}`, ""];
  if (chat.username) {
    lines.push(`[@${e(chat.username)}](https://t.me/${encodeURIComponent(chat.username)})`, "");
  }
  lines.push(`${sum.messages} messages, ${sum.notes} notes, ${sum.media_files} media files.`, "");
  lines.push("Data: [[" + `${opts.layout.chatDir}/messages.jsonl` + "|messages.jsonl]]", "");
  if (chat.topics && chat.topics.length > 0) {
    lines.push("## Topics", "");
    for (const t of chat.topics) {
      const first = opts.topicFirst?.get(t.id);
      const title = `${t.icon_emoji ?? ""}${e(t.title)}`;
      lines.push(`- ${first ? `[[${first}|${title.replaceAll("|", "\\|")}]]` : title} (topic ${t.id})`);
    }
    lines.push("");
  }
  if (sum.layout === "day" && chat.kind !== "forum") {
    lines.push("## Days", "", ...opts.days.map((d) => `- [[${opts.layout.chatDir}/days/${d}|${d}]]`), "");
  } else if (sum.first_note !== undefined) {
    lines.push(`First: [[${sum.first_note}|message ${sum.first_id}]]`);
    lines.push(`Last: [[${sum.last_note}|message ${sum.last_id}]]`, "");
  }
  if (opts.months && opts.months.length > 0) {
    lines.push("## Months", "", ...opts.months.map(([m, note]) => `- [[${note}|${m}]]`), "");
  }
  const chatJson = JSON.stringify({ ...chat, export: sum }, null, 2) + "\n";
  return { indexMd: `---\n${fm}---\n\n${lines.join("\n")}`, chatJson };
}

function _iso(unix: number | undefined): string | undefined {
  return unix === undefined ? undefined : new Date(unix * 1000).toISOString().replace(".000Z", "Z");
}
