/** The root index.md of an export folder: every chat exported into it so far. */
import { escapeMarkdown } from "../../export/escape_markdown.ts";
import { FsExportWriter } from "../../export/fs_export_writer.ts";

/** Rewrites `<out>/index.md` from the chat.json files under `<out>/chats`. */
export async function writeRootIndex(out: string, signal?: AbortSignal): Promise<void> {
  const rows: Array<{ id: number; title: string; messages: number }> = [];
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(`${out}/chats`)) entries.push(e);
  } catch {
    // no chats folder yet: an empty index
  }
  for (const e of entries) {
    if (!e.isDirectory) continue;
    try {
      const j = JSON.parse(await Deno.readTextFile(`${out}/chats/${e.name}/chat.json`));
      rows.push({
        id: Number(j.id),
        title: String(j.title ?? ""),
        messages: Number(j.export?.messages ?? 0),
      });
    } catch {
      // a chat folder without a finished chat.json is not listed yet
    }
  }
  rows.sort((a, b) => a.id - b.id);
  const lines = rows.map((c) =>
    `- [[chats/${c.id}/index|${escapeMarkdown(c.title, { atLineStart: false })}]] (${c.messages} messages)`
  );
  await new FsExportWriter(out).writeText("index.md", `# Telegram export\n\n${lines.join("\n")}\n`, signal);
}
