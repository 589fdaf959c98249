/** The bot's commands: /start, /help, /stats (admins), /cancel, /admin (admins, with the admin page). */
import type { BotUpdate } from "../../core/bot_types.ts";
import type { BotCommand } from "./bot_text.ts";
import type { BotContext } from "./bot_context.ts";
import { cancelDownloads } from "./cancel_downloads.ts";

type Message = Extract<BotUpdate, { kind: "message" }>;

/** What /start and /help say. */
export const HELP_TEXT = [
  "Send me a link to a video (YouTube, Instagram, TikTok, Snapchat, Likee or any page with a video):",
  "I show its title and the qualities, you pick one (or audio only) and I send you the file.",
  "Send a voice note, a video note or an audio file and I tell you which song it is.",
  "",
  "/cancel stops your download in progress.",
  "/help shows this text.",
].join("\n");

/** Replies that are not the policy's. */
export const COMMAND_REPLIES = {
  adminsOnly: "This command is for the bot's admins only.",
  noAdminPage: "The admin page is not running (start the bot with --admin-listen).",
  nothingToCancel: "You have no download in progress.",
  text: "Send me a link to a video, or a voice note to recognise its music. /help tells more.",
  unknown: (c: string) => `Unknown command /${c}. /help lists what I do.`,
};

/** Answers one command of an admitted user. */
export async function runCommand(ctx: BotContext, m: Message, command: BotCommand): Promise<void> {
  const admin = ctx.admins.has(m.from.id);
  const reply = (text: string) => ctx.api.sendText(m.chat_id, text, { reply_to: m.message_id });
  switch (command) {
    case "start":
      await reply(`Hello${m.from.first_name ? `, ${m.from.first_name}` : ""}!\n\n${HELP_TEXT}`);
      return;
    case "help":
      await reply(HELP_TEXT);
      return;
    case "stats":
      await reply(admin ? await statsText(ctx) : COMMAND_REPLIES.adminsOnly);
      return;
    case "cancel": {
      const n = await cancelDownloads(ctx, m.from.id);
      await reply(n > 0 ? `Cancelled ${n} download${n === 1 ? "" : "s"}.` : COMMAND_REPLIES.nothingToCancel);
      return;
    }
    case "admin":
      if (!admin) return void await reply(COMMAND_REPLIES.adminsOnly);
      if (!ctx.loginLink) return void await reply(COMMAND_REPLIES.noAdminPage);
      await reply(`Your one-time login link (valid 15 minutes):\n${await ctx.loginLink()}`);
      return;
  }
}

/** The /stats text: users, and downloads by status. */
export async function statsText(ctx: BotContext): Promise<string> {
  const users = await ctx.store.users.count();
  const d = await ctx.store.downloads.countByStatus();
  const total = d.pending + d.processing + d.completed + d.failed;
  return [
    `Users: ${users}`,
    `Downloads: ${total} (completed ${d.completed}, failed ${d.failed}, ` +
    `processing ${d.processing}, pending ${d.pending})`,
  ].join("\n");
}
