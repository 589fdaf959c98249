import { Command, InvalidArgumentError } from "@commander-js/extra-typings";
import type { ChatSummary } from "../../core/account.ts";
import { parseChatTypes, parseNamePattern } from "../../core/chat_filter.ts";
import { argParser } from "../flag_values.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe chats
  tgpipe chats --limit 20
  tgpipe chats --type channel,group --name 'news|tech'
  tgpipe chats --type personal --unread
  tgpipe --json chats | jq '.data[] | select(.kind == "channel") | .id'

The id column is what other commands accept as <chat> (as are @username and t.me links).`;

/** `tgpipe chats`: the account's chats with id, type, title, username and message count. */
export function chatsCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("chats")
    .description("List your chats: id, type, title, username, message count")
    .option("--limit <n>", "at most this many chats, newest first", _positiveInt)
    .option("--no-counts", "skip exact message counts (one request per chat); show the newest message id")
    .option(
      "--type <types>",
      "only these types: personal, bot, group, channel (comma-separated)",
      argParser(parseChatTypes),
    )
    .option(
      "--name <regex>",
      "only chats whose title or username matches (case-insensitive)",
      argParser(parseNamePattern),
    )
    .option("--with-username", "only public chats (with an @username)")
    .option("--unread", "only chats with unread messages")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, flags) => {
      const { chats } = await import("../../app/account/chats.ts");
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const list = await chats({
        access: telegramAccess(rt.settings),
        limit: flags.limit,
        counts: flags.counts,
        filter: {
          kinds: flags.type,
          name: flags.name,
          hasUsername: flags.withUsername,
          unread: flags.unread,
        },
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("chats", list, () => renderChats(list));
    }));
}

/** The chat list as an aligned table. */
export function renderChats(list: ChatSummary[]): string {
  if (list.length === 0) return "No chats\n";
  const rows = list.map((
    c,
  ) => [String(c.id), c.kind, c.title, c.username ? `@${c.username}` : "-", String(c.message_count)]);
  const head = ["ID", "TYPE", "TITLE", "USERNAME", "MESSAGES"];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (r: string[]) =>
    r.map((v, i) => {
      const cell = v.length > widths[i] ? v.slice(0, widths[i] - 1) + "…" : v;
      return i === r.length - 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
    }).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

function _positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}
