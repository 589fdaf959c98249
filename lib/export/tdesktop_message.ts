/** One message of a Telegram Desktop export JSON file -> the model's Message. */
import { join } from "node:path";
import type { Media, MediaKind, Message, PeerRef } from "../core/message.ts";
import { readTdesktopService } from "./tdesktop_service.ts";
import { parseTdesktopText } from "./tdesktop_text.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

const MEDIA_TYPES: Record<string, MediaKind> = {
  sticker: "sticker",
  animation: "animation",
  video_file: "video",
  video_message: "round",
  voice_message: "voice",
  audio_file: "audio",
};
const NOT_INCLUDED = /^\(File .*not included/i;

/**
 * One message of a Telegram Desktop export (already checked by checkTdesktopMessage) as a
 * Message of chat `chatId`; media refs are joined to `base`, the folder of its JSON file
 * relative to the export, with "/" separators.
 */
export function readTdesktopMessage(m: Json, chatId: number, base: string): Message {
  const { text, entities } = parseTdesktopText(m.text_entities ?? m.text);
  const msg: Message = {
    id: m.id,
    chat_id: chatId,
    date: _time(m.date_unixtime, m.date) ?? 0,
    text,
    entities,
  };
  const edit = _time(m.edited_unixtime, m.edited);
  if (edit !== undefined) msg.edit_date = edit;
  const author = _peer(m.from, m.from_id);
  if (author && m.type !== "service") msg.author = author;
  if (m.author) msg.post_author = String(m.author);
  if (typeof m.reply_to_message_id === "number") {
    msg.reply_to = { message_id: m.reply_to_message_id };
    const peer = _peer(undefined, m.reply_to_peer_id);
    if (peer?.id !== undefined && peer.id !== chatId) msg.reply_to.chat_id = peer.id;
  }
  if (m.forwarded_from !== undefined || m.forwarded_from_id !== undefined || m.saved_from !== undefined) {
    const from = _peer(m.forwarded_from ?? m.saved_from ?? undefined, m.forwarded_from_id);
    msg.forward = { from_name: from?.name, from_id: from?.id, from_kind: from?.kind };
  }
  if (m.via_bot) msg.via_bot = { username: String(m.via_bot).replace(/^@/, "") };
  if (m.type === "service") msg.service = readTdesktopService(m, _peer(m.actor, m.actor_id));
  const media = _media(m, base);
  if (media) msg.media = media;
  if (m.poll) {
    msg.poll = {
      question: String(m.poll.question ?? ""),
      closed: m.poll.closed === true,
      total_voters: m.poll.total_voters,
      answers: (m.poll.answers ?? []).map((a: Json) => ({
        text: String(a.text ?? ""),
        voters: a.voters,
        chosen: a.chosen,
      })),
    };
  }
  if (m.location_information) {
    const l = m.location_information;
    msg.location = { latitude: Number(l.latitude), longitude: Number(l.longitude) };
    if (m.live_location_period_seconds) msg.location.live_period = m.live_location_period_seconds;
    if (m.place_name) msg.location.venue = { title: String(m.place_name), address: m.address };
  }
  if (m.contact_information) {
    const c = m.contact_information;
    msg.contact = {
      first_name: c.first_name || undefined,
      last_name: c.last_name || undefined,
      phone: c.phone_number,
    };
  }
  if (Array.isArray(m.reactions)) {
    msg.reactions = m.reactions.map((r: Json) => ({
      emoji: r.emoji,
      custom_emoji_id: r.document_id === undefined ? undefined : String(r.document_id),
      paid: r.type === "paid" || undefined,
      count: Number(r.count ?? 0),
    }));
  }
  return msg;
}

function _media(m: Json, base: string): Media | undefined {
  const ref = (
    p: unknown,
  ) => (typeof p === "string" && p.length > 0 && !NOT_INCLUDED.test(p)
    ? slashPath(join(base, p))
    : undefined);
  let media: Media | undefined;
  if (m.photo !== undefined) {
    media = { kind: "photo", ref: ref(m.photo), size: m.photo_file_size };
    if (media.ref) media.file_name = media.ref.split("/").at(-1);
  } else if (m.file !== undefined || m.media_type !== undefined) {
    const type = typeof m.media_type === "string" && Object.hasOwn(MEDIA_TYPES, m.media_type)
      ? m.media_type
      : "";
    media = { kind: MEDIA_TYPES[type] ?? "document", ref: ref(m.file), thumb_ref: ref(m.thumbnail) };
    if (m.file_name) media.file_name = String(m.file_name);
    else if (media.ref) media.file_name = media.ref.split("/").at(-1);
    if (m.mime_type) media.mime_type = String(m.mime_type);
    if (typeof m.file_size === "number") media.size = m.file_size;
    if (typeof m.duration_seconds === "number") media.duration = m.duration_seconds;
    if (m.sticker_emoji) media.emoji = String(m.sticker_emoji);
    if (m.performer) media.performer = String(m.performer);
    if (m.title) media.title = String(m.title);
  }
  if (!media) return undefined;
  if (media.ref === undefined) delete media.ref;
  if (media.thumb_ref === undefined) delete media.thumb_ref;
  if (media.size === undefined) delete media.size;
  if (typeof m.width === "number") media.width = m.width;
  if (typeof m.height === "number") media.height = m.height;
  if (m.media_spoiler === true) media.spoiler = true;
  return media;
}

function _peer(name: unknown, id: unknown): PeerRef | undefined {
  const ref: PeerRef = {};
  if (typeof name === "string") ref.name = name;
  const m = typeof id === "string" ? /^(user|channel|chat)(\d+)$/.exec(id) : undefined;
  if (m) {
    ref.kind = m[1] as PeerRef["kind"];
    ref.id = Number(m[2]);
  } else if (typeof id === "number") ref.id = id;
  return Object.keys(ref).length > 0 ? ref : undefined;
}

function _time(unix: unknown, iso: unknown): number | undefined {
  if (unix !== undefined && unix !== null && Number.isFinite(Number(unix))) return Number(unix);
  // Older exports only have local wall-clock time without a zone; it is read as UTC.
  if (typeof iso === "string") {
    const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
    if (Number.isFinite(t)) return Math.floor(t / 1000);
  }
  return undefined;
}

/** `p` with "/" separators, as the model keeps paths inside an export. */
export function slashPath(p: string): string {
  return p.replaceAll("\\", "/");
}
