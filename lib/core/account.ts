import type { Chat } from "./message.ts";

/** The logged-in account, as `tgpipe whoami` shows it. The phone is masked, never raw. */
export interface Account {
  id: number;
  /** First and last name, or the bot's name. */
  name: string;
  username?: string;
  /** Masked, e.g. "+155******01"; absent for bots. */
  phone_masked?: string;
  bot: boolean;
  /** The DC the session lives on. */
  dc_id: number;
}

/** One entry of the chat list (`tgpipe chats`). */
export interface ChatSummary extends Chat {
  /** Messages in the chat (the id of the newest message when Telegram gives no count). */
  message_count: number;
  unread_count?: number;
  /**
   * Opaque locator lib/telegram turns back into an input peer (kind, id, access hash);
   * not a secret, but only meaningful to the account that listed it.
   */
  peer: string;
}
