/**
 * What the bot sees of Telegram and how it answers, as plain types: lib/telegram implements
 * {@link BotApi} over MTProto with the bot's token; lib/app/bot (conversation, broadcast, admin)
 * uses only this interface, so the conversation logic never touches GramJS.
 */

/** The person behind an update, as Telegram gives it. */
export interface BotUser {
  /** Telegram user id (decimal string: ids can exceed 2^53 in the future). */
  id: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  /** Telegram Premium (from the user object's `premium` flag). */
  premium?: boolean;
}

/** A file attached to a message the bot received (voice, audio, video note, video, document). */
export interface BotMedia {
  kind: "voice" | "audio" | "video_note" | "video" | "document" | "photo";
  size: number;
  mime_type?: string;
  duration?: number;
  file_name?: string;
  /** Opaque handle for {@link BotApi.downloadMedia}. */
  ref: unknown;
}

/** One update, deduplicated by the receiver: each arrives once, also across restarts. */
export type BotUpdate =
  | {
    kind: "message";
    /** Private chat id (= user id) or group id. */
    chat_id: string;
    from: BotUser;
    message_id: number;
    date: number;
    text: string;
    media?: BotMedia;
  }
  | {
    kind: "callback";
    /** Answer it with {@link BotApi.answerCallback} (Telegram waits a few seconds at most). */
    query_id: string;
    chat_id: string;
    from: BotUser;
    message_id: number;
    /** At most 64 bytes, as Telegram allows. */
    data: string;
  };

/** An inline keyboard button whose press comes back as a `callback` update. */
export interface BotButton {
  text: string;
  /** At most 64 bytes (UTF-8); longer is a RangeError before any request. */
  data: string;
}

/** Options of a text message the bot sends or edits. */
export interface BotTextOptions {
  /** Rows of inline buttons; an empty array removes the keyboard on edit. */
  buttons?: BotButton[][];
  reply_to?: number;
}

/** A file the bot sends (uploaded with the upload engine, so up to 2 GB). */
export interface BotFile {
  path: string;
  caption?: string;
  /** Thumbnail JPEG (≤ 320 px) for videos and audio. */
  thumb_path?: string;
  /** `media`: photos as photos, videos as streamable videos, audio as audio; else a document. */
  as: "media" | "document";
  /** MIME type (photos go as photos only when it says image/jpeg, png or webp). */
  mime_type?: string;
  /** With `as: "media"`: the video's metadata (e.g. from lib/app/upload's planMedia). */
  video?: { duration: number; w: number; h: number; streaming: boolean };
  /** With `as: "media"`: the audio's metadata. */
  audio?: { duration: number; title?: string; performer?: string };
}

/** The bot's side of Telegram. Every call can throw a TelegramRpcError (FLOOD_WAIT, USER_IS_BLOCKED…). */
export interface BotApi {
  /** The bot's own user. */
  readonly me: BotUser;
  /**
   * Updates as they arrive, after first catching up on what was missed since the saved state
   * (getDifference); ends when `signal` aborts. An update counts as handled (and never comes
   * again) once the consumer asks for the next one; after abort, the loop's next step does that.
   */
  updates(signal: AbortSignal): AsyncIterable<BotUpdate>;
  /** Sends a text message; resolves to its message id. */
  sendText(chat_id: string, text: string, options?: BotTextOptions): Promise<number>;
  /** Edits one of the bot's own messages (MESSAGE_NOT_MODIFIED is not an error). */
  editText(chat_id: string, message_id: number, text: string, options?: BotTextOptions): Promise<void>;
  /** Answers a callback query (a toast, or an alert when `alert`). */
  answerCallback(query_id: string, text?: string, alert?: boolean): Promise<void>;
  /** Uploads and sends a file; resolves to the message id. */
  sendFile(chat_id: string, file: BotFile, signal?: AbortSignal): Promise<number>;
  /** Downloads a received file to `dest` (written to a temp name, then renamed). */
  downloadMedia(media: BotMedia, dest: string, signal?: AbortSignal): Promise<void>;
}
