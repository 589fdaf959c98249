/**
 * Messages -> downloadable files: fetch messages by id (links, ranges, file-reference refresh)
 * or page through a chat's history, and map each media message to a RemoteFile.
 */
import bigInt from "big-integer";
import { Api } from "telegram";
import type { Chat, Media } from "../core/message.ts";
import { TelegramError } from "../core/errors.ts";
import type { TgClient } from "./client.ts";
import { decodeMediaRef, mapMedia } from "./map_media.ts";
import { messageMedia } from "./message_media.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";
import type { RemoteFile } from "./remote_file.ts";

/** The chat a message belongs to, as resolve_chat.ts returns it. */
export type ChatRef = Chat & { peer: string };

/** What one requested message id turned out to be. */
export type MessageFileResult =
  | { id: number; file: RemoteFile }
  | { id: number; problem: "deleted" | "no_media" };

/** Options of {@link historyFiles}. */
export interface HistoryOptions {
  /** Only messages of this forum topic. */
  topicId?: number;
  /** Only messages with an id above / below. */
  minId?: number;
  maxId?: number;
  /** Stop at messages older than this (unix seconds). */
  minDate?: number;
  /** Start at messages older than this (unix seconds). */
  offsetDate?: number;
  signal?: AbortSignal;
}

const PAGE = 100;

/**
 * Looks messages up by id (at most 100 per call) and maps them; deleted messages and messages
 * without a file are reported, not thrown.
 */
export async function fetchMessageFiles(
  client: TgClient,
  chat: ChatRef,
  ids: number[],
  opts: { signal?: AbortSignal } = {},
): Promise<MessageFileResult[]> {
  const out: MessageFileResult[] = [];
  const peer = decodePeer(chat.peer);
  for (let i = 0; i < ids.length; i += PAGE) {
    opts.signal?.throwIfAborted();
    const chunk = ids.slice(i, i + PAGE);
    const id = chunk.map((n) => new Api.InputMessageID({ id: n }));
    const res = peer.kind === "channel"
      ? await client.call<Api.messages.TypeMessages>(
        new Api.channels.GetMessages({
          channel: new Api.InputChannel({
            channelId: bigInt(peer.id),
            accessHash: bigInt(peer.accessHash ?? "0"),
          }),
          id,
        }),
      )
      : await client.call<Api.messages.TypeMessages>(new Api.messages.GetMessages({ id }));
    const msgs = "messages" in res ? res.messages : [];
    const byId = new Map<number, Api.TypeMessage>();
    for (const m of msgs) if (!(m instanceof Api.MessageEmpty)) byId.set(m.id, m);
    for (const n of chunk) {
      const m = byId.get(n);
      const kept = m instanceof Api.Message || m instanceof Api.MessageService;
      if (!kept || !_samePeer(m, chat)) out.push({ id: n, problem: "deleted" });
      else {
        const file = mapMessageFile(m, chat);
        out.push(file ? { id: n, file } : { id: n, problem: "no_media" });
      }
    }
  }
  return out;
}

/** Pages through a chat's history, newest first, yielding each media message's file. */
export async function* historyFiles(
  client: TgClient,
  chat: ChatRef,
  opts: HistoryOptions = {},
): AsyncGenerator<RemoteFile> {
  const input = inputPeerOf(decodePeer(chat.peer));
  let offsetId = opts.maxId ? opts.maxId : 0;
  let offsetDate = opts.maxId ? 0 : (opts.offsetDate ?? 0);
  while (true) {
    opts.signal?.throwIfAborted();
    const page = {
      peer: input,
      offsetId,
      offsetDate,
      addOffset: 0,
      limit: PAGE,
      maxId: 0,
      minId: opts.minId ?? 0,
      hash: bigInt(0),
    };
    const res = opts.topicId
      ? await client.call<Api.messages.TypeMessages>(
        new Api.messages.GetReplies({ ...page, msgId: opts.topicId }),
      )
      : await client.call<Api.messages.TypeMessages>(new Api.messages.GetHistory(page));
    const msgs = "messages" in res ? res.messages : [];
    if (msgs.length === 0) return;
    for (const m of msgs) {
      if (!(m instanceof Api.Message)) continue;
      if (opts.minDate && m.date < opts.minDate) return;
      const file = mapMessageFile(m, chat);
      if (file) yield file;
    }
    const last = msgs[msgs.length - 1];
    if (msgs.length < PAGE || last.id <= (opts.minId ?? 0) + 1) return;
    offsetId = last.id;
    offsetDate = 0;
  }
}

/**
 * The file of a message (document, or the photo size with the most pixels), or undefined without
 * one. map_media.ts is the one media mapper (export and download agree on kind, name, size choice);
 * this only turns its `ref` back into a location.
 */
export function mapMessageFile(m: Api.Message | Api.MessageService, chat: ChatRef): RemoteFile | undefined {
  const media = mapMedia(messageMedia(m)).media;
  const info = {
    id: m.id,
    date: m.date,
    topicId: _topicOf(m),
    caption: m instanceof Api.Message ? m.message ?? "" : "",
  };
  return fileOfMedia(media, info, chat, () => _thumb(messageMedia(m)));
}

/**
 * The file of a message's mapped media (shared by {@link mapMessageFile} and fast_history.ts):
 * `thumb` gives a document's largest plain thumbnail.
 */
export function fileOfMedia(
  media: Media | undefined,
  m: { id: number; date: number; topicId: number | null | undefined; caption: string },
  chat: ChatRef,
  thumb: () => Pick<RemoteFile, "thumb">,
): RemoteFile | undefined {
  if (!media?.ref) return undefined;
  const l = decodeMediaRef(media.ref);
  const size = media.size ?? 0;
  // a photo without a size in bytes has nothing getFile could fetch
  if (l.type === "photo" && !(size > 0)) return undefined;
  return {
    chatId: chat.id,
    chatPeer: chat.peer,
    chatTitle: chat.title,
    chatUsername: chat.username,
    messageId: m.id,
    date: m.date,
    topicId: m.topicId ?? undefined,
    caption: m.caption,
    key: `${l.type}:${l.id}`,
    size,
    location: {
      kind: l.type,
      id: l.id,
      accessHash: l.accessHash,
      fileReference: l.fileReference,
      dcId: l.dcId,
      thumbSize: l.type === "photo" ? l.thumbSize : "",
    },
    mediaType: media.kind,
    fileName: media.file_name,
    mimeType: media.mime_type ?? (l.type === "photo" ? "image/jpeg" : undefined),
    ...(l.type === "document" ? thumb() : {}),
  };
}

/**
 * A document's thumbnail as a file of its own (`tgpipe serve`'s /t/): the same document
 * location with the thumbnail's size type; undefined without one.
 */
export function thumbnailFile(file: RemoteFile): RemoteFile | undefined {
  if (!file.thumb) return undefined;
  const { thumb, ...rest } = file;
  return {
    ...rest,
    key: `${file.key}:thumb:${thumb.thumbSize}`,
    size: thumb.size,
    location: { ...file.location, thumbSize: thumb.thumbSize },
    mediaType: "photo",
    fileName: undefined,
    mimeType: "image/jpeg",
  };
}

// the largest PhotoSize of a document (stripped and cached sizes have no file to fetch)
function _thumb(media: Api.TypeMessageMedia | undefined): Pick<RemoteFile, "thumb"> {
  if (!(media instanceof Api.MessageMediaDocument) || !(media.document instanceof Api.Document)) return {};
  const sizes = (media.document.thumbs ?? []).filter((t): t is Api.PhotoSize => t instanceof Api.PhotoSize);
  const best = sizes.sort((a, b) => b.w * b.h - a.w * a.h)[0];
  return best && best.size > 0 ? { thumb: { thumbSize: best.type, size: best.size } } : {};
}

function _samePeer(m: Api.Message | Api.MessageService, chat: ChatRef): boolean {
  const p = m.peerId;
  const id = p instanceof Api.PeerChannel ? p.channelId : p instanceof Api.PeerChat ? p.chatId : undefined;
  // messages.getMessages searches the account's shared id space: keep only this chat's hits
  if (id === undefined) return chat.kind === "user" || chat.kind === "bot" || chat.kind === "saved";
  return Number(id) === chat.id;
}

function _topicOf(m: Api.Message | Api.MessageService): number | null | undefined {
  const r = m.replyTo;
  if (!(r instanceof Api.MessageReplyHeader) || !r.forumTopic) return undefined;
  return r.replyToTopId ?? r.replyToMsgId;
}

/** Refetches the message a file came from and returns its fresh location (FILE_REFERENCE_EXPIRED). */
export async function refreshFileLocation(
  client: TgClient,
  file: RemoteFile,
  opts: { signal?: AbortSignal } = {},
): Promise<RemoteFile["location"]> {
  const [r] = await fetchMessageFiles(client, chatOfFile(file), [file.messageId], opts);
  return freshLocation(file, r);
}

/** The chat a file's message is in, enough to look the message up again. */
export function chatOfFile(file: RemoteFile): ChatRef {
  const kind = file.chatPeer.startsWith("channel:")
    ? "channel"
    : file.chatPeer.startsWith("chat:")
    ? "group"
    : "user";
  return { id: file.chatId, kind, title: file.chatTitle, peer: file.chatPeer };
}

/**
 * The fresh location of `file` from the refetched message `r`; MESSAGE_FILE_GONE when the message
 * is gone or no longer carries the file.
 */
export function freshLocation(file: RemoteFile, r: MessageFileResult | undefined): RemoteFile["location"] {
  // a thumbnail (thumbnailFile) refreshes through its document and keeps its own size type
  const key = file.key.replace(/:thumb:.*$/, "");
  if (!r || !("file" in r) || r.file.key !== key) {
    throw new TelegramError(400, "MESSAGE_FILE_GONE", `message ${file.messageId}`);
  }
  return { ...r.file.location, thumbSize: file.location.thumbSize };
}
