/**
 * What a message to the bot asks for: a command (/start, /help, /stats, /cancel, /admin, with an
 * optional @botname suffix as Telegram clients add in groups) or the first http(s) link in it.
 */

/** The commands the bot answers. */
export const BOT_COMMANDS = ["start", "help", "stats", "cancel", "admin"] as const;

/** One of {@link BOT_COMMANDS}. */
export type BotCommand = typeof BOT_COMMANDS[number];

/** What a text asks for. */
export type BotRequest =
  | { kind: "command"; command: BotCommand; args: string }
  | { kind: "unknown_command"; command: string }
  | { kind: "link"; url: string }
  | { kind: "text" };

// a link ends at whitespace or at closing punctuation people put after it
const LINK = /https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/i;

/**
 * Reads one message text. A command addressed to another bot (`/start@other_bot`) is plain text.
 *
 * @example
 * ```ts
 * parseBotText("/start", "media_bot"); // { kind: "command", command: "start", args: "" }
 * parseBotText("look: https://youtu.be/x1.", "media_bot"); // { kind: "link", url: "https://youtu.be/x1" }
 * ```
 */
export function parseBotText(text: string, botUsername?: string): BotRequest {
  const t = text.trim();
  const cmd = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,32}))?(?:\s+([\s\S]*))?$/.exec(t);
  if (cmd) {
    const [, name, to, args] = cmd;
    if (to !== undefined && botUsername !== undefined && to.toLowerCase() !== botUsername.toLowerCase()) {
      return { kind: "text" };
    }
    const command = name.toLowerCase();
    return (BOT_COMMANDS as readonly string[]).includes(command)
      ? { kind: "command", command: command as BotCommand, args: (args ?? "").trim() }
      : { kind: "unknown_command", command };
  }
  const link = LINK.exec(t);
  if (link) {
    try {
      return { kind: "link", url: new URL(link[0]).href };
    } catch {
      // not a URL after all (e.g. "http://["): plain text
    }
  }
  return { kind: "text" };
}
