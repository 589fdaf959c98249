/**
 * tgpipe's own message and chat model: the union of what the Telegram API and Telegram Desktop
 * exports carry. lib/telegram maps GramJS messages into it, lib/export/tdesktop_reader.ts maps
 * Telegram Desktop JSON into it, and lib/export renders it.
 *
 * Field names are snake_case because `messages.jsonl` is this model serialised as is
 * (docs/export-format.md). Ids that can exceed 2^53 (documents, albums) are decimal strings;
 * peer ids are plain positive ids (no Bot API -100 prefix) plus a `kind`, as Telegram Desktop writes them.
 * A message's media attachment is in message_media.ts, re-exported here: this is the whole model.
 */
import type { Media } from "./message_media.ts";

export {
  type DerivedMedia,
  type Media,
  MEDIA_KINDS,
  type MediaKind,
  type MediaProbe,
  type TranscriptSegment,
} from "./message_media.ts";

/** Entity types that only carry a range. */
export type PlainEntityType =
  | "bold"
  | "italic"
  | "underline"
  | "strikethrough"
  | "spoiler"
  | "code"
  | "mention"
  | "hashtag"
  | "cashtag"
  | "bot_command"
  | "url"
  | "email"
  | "phone";

/**
 * A formatting entity over `text`. Offsets and lengths are in UTF-16 code units, exactly as
 * Telegram sends them, so they index JavaScript strings directly.
 */
export type MessageEntity =
  & { offset: number; length: number }
  & (
    | { type: PlainEntityType }
    | { type: "pre"; language?: string }
    | { type: "text_link"; url: string }
    | { type: "mention_name"; user_id: number }
    | { type: "blockquote"; collapsed?: boolean }
    | { type: "custom_emoji"; document_id: string; alt?: string }
  );

/** Every entity type name. */
export type EntityType = MessageEntity["type"];

/** What kind of peer an id names. */
export type PeerKind = "user" | "chat" | "channel";

/** A message author, forward source or service actor. Every field is optional: exports lose some. */
export interface PeerRef {
  id?: number;
  kind?: PeerKind;
  name?: string;
  username?: string;
}

/** What a message replies to. */
export interface ReplyRef {
  message_id?: number;
  /** Forum topic the reply lives in (the topic's root message id). */
  topic_id?: number;
  /** Set when the replied message is in another chat. */
  chat_id?: number;
  /** The quoted part of the replied message, when the reply quotes. */
  quote_text?: string;
}

/** Where a forwarded message came from. */
export interface ForwardOrigin {
  from_name?: string;
  from_id?: number;
  from_kind?: PeerKind;
  /** Message id in the source channel, for forwarded channel posts. */
  channel_post?: number;
  /** Unix seconds of the original message. */
  date?: number;
  /** Author signature of the original channel post. */
  signature?: string;
}

/** Known service action types (Telegram Desktop's export names); others pass through as strings. */
export type ServiceType =
  | "create_group"
  | "create_channel"
  | "migrate_to_supergroup"
  | "migrate_from_group"
  | "edit_group_title"
  | "edit_group_photo"
  | "delete_group_photo"
  | "suggest_profile_photo"
  | "invite_members"
  | "remove_members"
  | "join_group_by_link"
  | "join_group_by_request"
  | "pin_message"
  | "clear_history"
  | "phone_call"
  | "group_call"
  | "topic_created"
  | "topic_edit"
  | "score_in_game"
  | "take_screenshot"
  | "joined_telegram"
  | "edit_chat_theme"
  | "invite_to_group_call"
  | "custom_action"
  | "set_messages_ttl"
  | "other";

/** A service message's action: its type plus the fields that type carries. */
export interface ServiceAction {
  type: ServiceType | (string & Record<never, never>);
  actor?: PeerRef;
  title?: string;
  /** Names of the users added, removed or in a new group (their ids when the name is unknown). */
  members?: string[];
  /** Pinned message id, for pin_message. */
  message_id?: number;
  /** Seconds, for calls and message TTL. */
  duration?: number;
  /** join_group_by_link: whose invite link it was. */
  inviter?: PeerRef;
  /** topic_edit: the new topic icon's custom emoji id ("0": the icon was removed). */
  icon_emoji_id?: string;
  /** topic_edit: the topic was closed (true) or reopened (false); Desktop exports do not say. */
  closed?: boolean;
  /** topic_edit: the General topic was hidden (true) or shown again (false); Desktop exports do not say. */
  hidden?: boolean;
  /** custom_action: the whole line, as Telegram wrote it (Desktop's information_text). */
  text?: string;
  /**
   * Any further fields of the action, JSON-safe: `discard_reason` of a phone_call (busy, disconnect,
   * hangup, missed), `emoticon` of edit_chat_theme ("" = theme turned off).
   */
  data?: Record<string, unknown>;
}

/** One reaction and how many people chose it. */
export interface Reaction {
  /** A Unicode emoji, or the fallback emoji of a custom one. */
  emoji?: string;
  /** Set for custom-emoji reactions. */
  custom_emoji_id?: string;
  /** True for paid (star) reactions. */
  paid?: boolean;
  count: number;
  /** The current account chose it. */
  chosen?: boolean;
}

/** A poll answer with its results. */
export interface PollAnswer {
  text: string;
  voters?: number;
  chosen?: boolean;
  /** The right answer of a quiz. */
  correct?: boolean;
}

/** A poll with results, as far as they are known. */
export interface Poll {
  question: string;
  answers: PollAnswer[];
  total_voters?: number;
  closed?: boolean;
  quiz?: boolean;
  multiple_choice?: boolean;
}

/** A point on the map, optionally a venue. */
export interface Location {
  latitude: number;
  longitude: number;
  accuracy_m?: number;
  /** Seconds a live location is shared for. */
  live_period?: number;
  venue?: { title: string; address?: string; provider?: string; venue_id?: string };
}

/** A shared contact. */
export interface Contact {
  first_name?: string;
  last_name?: string;
  phone?: string;
  user_id?: number;
  vcard?: string;
}

/** A message of any kind: a normal message, or a service message when `service` is set. */
export interface Message {
  id: number;
  chat_id: number;
  /** Unix seconds. */
  date: number;
  /** Unix seconds of the last edit. */
  edit_date?: number;
  author?: PeerRef;
  /** Channel post signature. */
  post_author?: string;
  text: string;
  entities: MessageEntity[];
  reply_to?: ReplyRef;
  forward?: ForwardOrigin;
  via_bot?: { id?: number; username?: string };
  service?: ServiceAction;
  reactions?: Reaction[];
  poll?: Poll;
  location?: Location;
  contact?: Contact;
  media?: Media;
  /** Album id: consecutive messages with the same value form one album. */
  grouped_id?: string;
  /** Forum topic (the topic's root message id). */
  topic_id?: number;
  /** Channel posts with a discussion group: comment count and the linked discussion post. */
  comments?: { count: number; chat_id?: number; post_id?: number };
  views?: number;
  forwards?: number;
  /** Set on comments: the channel post they comment on. */
  comment_of?: { chat_id: number; post_id: number };
}

/** Chat kinds. `forum` is a supergroup with topics; `saved` is Saved Messages. */
export type ChatKind = "user" | "bot" | "group" | "supergroup" | "channel" | "forum" | "saved";

/** A forum topic. */
export interface Topic {
  /** The topic's root message id. */
  id: number;
  title: string;
  icon_emoji?: string;
  closed?: boolean;
}

/** A chat being exported. */
export interface Chat {
  id: number;
  kind: ChatKind;
  title: string;
  username?: string;
  topics?: Topic[];
  /** Free-form description (Desktop exports of channels carry none; the API has `about`). */
  about?: string;
}
