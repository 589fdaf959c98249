/**
 * Plain data model of the fake DC's world: users, chats, messages, files. No TL here; the
 * mapping to a layer's TL objects lives in to_tl.ts so one world serves every layer.
 */

/** Where a file's bytes come from. */
export type BlobSource =
  | { kind: "disk"; path: string }
  /** Deterministic bytes computed on demand from (seed, blob id, offset): costs no memory. */
  | { kind: "gen"; seed: number }
  | { kind: "mem"; parts: Uint8Array[]; partSize: number };

/** A stored file: one photo size or one document (thumbnails are blobs of their own). */
export interface WBlob {
  id: bigint;
  size: number;
  source: BlobSource;
}

/** A message entity in UTF-16 code units, as Telegram counts. */
export interface WEntity {
  type:
    | "bold"
    | "italic"
    | "underline"
    | "strikethrough"
    | "spoiler"
    | "code"
    | "pre"
    | "link"
    | "text_link"
    | "mention"
    | "mention_name"
    | "hashtag"
    | "cashtag"
    | "bot_command"
    | "email"
    | "phone"
    | "blockquote"
    | "custom_emoji"
    | "bank_card"
    | "unknown";
  offset: number;
  length: number;
  language?: string;
  url?: string;
  userId?: bigint;
  documentId?: bigint;
  collapsed?: boolean;
}

/** A reference to a peer of the world. */
export interface WPeer {
  kind: "user" | "chat" | "channel";
  id: bigint;
}

/** One size of a photo or a document thumbnail. */
export interface WPhotoSize {
  type: string;
  w: number;
  h: number;
  blob: WBlob;
}

/** Photo: a set of sizes, the largest carries the original bytes. */
export interface WPhoto {
  kind: "photo";
  id: bigint;
  accessHash: bigint;
  dcId: number;
  date: number;
  sizes: WPhotoSize[];
}

/** Document attributes, the union Telegram knows. */
export interface WDocAttrs {
  fileName?: string;
  /** video / round video (roundMessage) / animation (gif flag) */
  video?: { w: number; h: number; duration: number; round?: boolean; supportsStreaming?: boolean };
  audio?: { duration: number; voice?: boolean; title?: string; performer?: string; waveform?: Uint8Array };
  sticker?: { alt: string };
  animated?: boolean;
  imageSize?: { w: number; h: number };
}

/** Document: a file with mime type, attributes and thumbnails. */
export interface WDocument {
  kind: "document";
  id: bigint;
  accessHash: bigint;
  dcId: number;
  date: number;
  mimeType: string;
  blob: WBlob;
  thumbs: WPhotoSize[];
  attrs: WDocAttrs;
}

/** Either kind of downloadable file. */
export type WFile = WPhoto | WDocument;

/** Message media. */
export type WMedia =
  | { kind: "photo"; photo: WPhoto }
  | { kind: "document"; doc: WDocument }
  | {
    kind: "poll";
    id: bigint;
    question: string;
    closed: boolean;
    totalVoters: number;
    answers: { text: string; voters: number; chosen: boolean }[];
  }
  | { kind: "geo"; lat: number; long: number }
  | { kind: "contact"; phone: string; firstName: string; lastName: string; userId: bigint }
  /** The export said there was media it could not describe: served as unsupported. */
  | { kind: "unsupported" };

/** A service action; `type` uses Telegram Desktop's export names (create_channel, pin_message...). */
export interface WAction {
  type: string;
  title?: string;
  userIds?: bigint[];
  /** join_group_by_link: who made the link. */
  inviterId?: bigint;
  messageId?: number;
  chatId?: bigint;
  channelId?: bigint;
  duration?: number;
  iconColor?: number;
  /** edit_group_photo / suggest_profile_photo: the photo, a file of the world like any photo. */
  photo?: WPhoto;
  /** topic_edit: the changed fields only (Desktop exports write title and icon, never the flags). */
  iconEmojiId?: bigint;
  closed?: boolean;
  hidden?: boolean;
  /** phone_call: Desktop's discard_reason (busy, disconnect, hangup, missed). */
  discardReason?: string;
  /** edit_chat_theme: the theme's emoji ("" = no theme). */
  emoticon?: string;
  /** custom_action: the line's text (Desktop's information_text). */
  text?: string;
}

/** One message of a chat. */
export interface WMessage {
  id: number;
  date: number;
  /** Sender; absent for channel posts. */
  from?: WPeer;
  /** Who posted a message sent through the fake DC (never on the wire: tests check which account sent). */
  postedBy?: bigint;
  out?: boolean;
  text: string;
  entities: WEntity[];
  reply?: { msgId: number; topId?: number; forumTopic?: boolean };
  fwd?: { fromName?: string; from?: WPeer; date: number; channelPost?: number };
  viaBotId?: bigint;
  editDate?: number;
  action?: WAction;
  media?: WMedia;
  groupedId?: bigint;
  reactions?: { emoji: string; count: number }[];
  post?: boolean;
  views?: number;
  pinned?: boolean;
  /** Forum topic this message belongs to (topic id = id of its topic_created message). */
  topicId?: number;
  /** A channel post's thread in the linked discussion group (its auto-forwarded copy). */
  comments?: { chatId: bigint; msgId: number };
}

/** A user (or bot) of the world. */
export interface WUser {
  id: bigint;
  accessHash: bigint;
  firstName: string;
  lastName?: string;
  username?: string;
  phone?: string;
  bot?: boolean;
  deleted?: boolean;
  about?: string;
  /** Telegram Premium: the larger upload part limit (upload_max_fileparts_premium). */
  premium?: boolean;
}

/** Kinds of chat: a private chat is a dialog with a user. */
export type ChatKind = "private" | "group" | "supergroup" | "channel" | "forum";

/** A forum topic. */
export interface WTopic {
  id: number;
  title: string;
  date: number;
  iconColor: number;
}

/** A chat with its history (messages sorted by ascending id). */
export interface WChat {
  kind: ChatKind;
  /** User id for private chats, chat id for basic groups, channel id otherwise. */
  id: bigint;
  accessHash: bigint;
  title: string;
  username?: string;
  date: number;
  about?: string;
  messages: WMessage[];
  /** Discussion group of a channel, or the channel of a discussion group. */
  linkedChatId?: bigint;
  topics?: WTopic[];
  /** Messages the self user has not read (the dialog's unread_count); default 0. */
  unread?: number;
  /** The chat's photo now: the last edit_group_photo's, unless a delete_group_photo came after. */
  photo?: WPhoto;
  /** False when the self user left: channel access then fails CHANNEL_PRIVATE. */
  selfMember: boolean;
  participants: bigint[];
  /** Users who may post in a broadcast channel; others get CHAT_WRITE_FORBIDDEN. */
  admins?: bigint[];
}

/** Login data of an account that can sign in. */
export interface WAccount {
  userId: bigint;
  phone: string;
  code: string;
  password?: string;
}

/** The whole world one fake DC cluster serves. */
export interface World {
  seed: number;
  selfUserId: bigint;
  users: Map<bigint, WUser>;
  /** Keyed by peer key: "user:<id>" for private chats, "chat:<id>", "channel:<id>". */
  chats: Map<string, WChat>;
  /** Every photo and document, by id. */
  files: Map<bigint, WFile>;
  accounts: WAccount[];
  /** Bot tokens accepted by auth.importBotAuthorization. */
  botTokens: Map<string, bigint>;
  /** Next message id for private chats and basic groups (one counter per account, like Telegram). */
  nextCommonId: number;
  nextFileId: bigint;
}
