/**
 * Sends uploaded files as messages: one with messages.sendMedia, an album with uploadMedia for
 * each file (storeMedia) then messages.sendMultiMedia. The random_id comes from the caller, who recorded it
 * first: a send that Telegram already took answers RANDOM_ID_DUPLICATE, reported as `duplicate`
 * (the message is there; it is never posted twice).
 */
import bigInt from "big-integer";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import { TelegramError } from "../core/errors.ts";
import type { UploadedFile } from "../engine/upload_file.ts";
import type { TgClient } from "./client.ts";
import { decodePeer, inputPeerOf } from "./peer_ref.ts";

/** One file to send and how Telegram should show it. */
export interface OutgoingMedia {
  file: UploadedFile;
  /** photo: a compressed photo; otherwise a document (video/audio by their attributes). */
  kind: "photo" | "document";
  mime: string;
  caption: string;
  randomId: string;
  video?: { duration: number; w: number; h: number; streaming: boolean };
  audio?: { duration: number; title?: string; performer?: string };
  /** A JPEG thumbnail (≤ 320 px), uploaded like the file. */
  thumb?: UploadedFile;
}

/** What a send did: the message ids, or `duplicate` when Telegram had taken it before. */
export interface SendOutcome {
  messageIds: number[];
  duplicate: boolean;
}

/** Sends one file to `peer` (a peer locator of resolveChat). */
export async function sendUploaded(
  client: TgClient,
  peer: string,
  m: OutgoingMedia,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const req = new Api.messages.SendMedia({
    peer: inputPeerOf(decodePeer(peer)),
    media: _inputMedia(m),
    message: m.caption,
    randomId: bigInt(m.randomId),
  });
  return await _send(client, req, signal);
}

/** A file already turned into media by messages.uploadMedia (plain data: no GramJS type leaves). */
export interface StoredMedia {
  kind: "photo" | "document";
  id: string;
  accessHash: string;
  /** Hex. */
  fileReference: string;
}

/**
 * Turns an uploaded file into media of `peer` (messages.uploadMedia) for an album; this is where
 * Telegram checks the parts (FILE_PART_X_MISSING).
 */
export async function storeMedia(
  client: TgClient,
  peer: string,
  m: Omit<OutgoingMedia, "caption" | "randomId">,
  signal?: AbortSignal,
): Promise<StoredMedia> {
  const media = await client.call<Api.TypeMessageMedia>(
    new Api.messages.UploadMedia({
      peer: inputPeerOf(decodePeer(peer)),
      media: _inputMedia({ ...m, caption: "", randomId: "0" }),
    }),
    { signal },
  );
  const f = media instanceof Api.MessageMediaPhoto
    ? media.photo
    : media instanceof Api.MessageMediaDocument
    ? media.document
    : undefined;
  if (!(f instanceof Api.Photo || f instanceof Api.Document)) {
    throw new TelegramError(400, "MEDIA_INVALID", "messages.UploadMedia");
  }
  return {
    kind: f instanceof Api.Photo ? "photo" : "document",
    id: f.id.toString(),
    accessHash: f.accessHash.toString(),
    fileReference: Buffer.from(f.fileReference).toString("hex"),
  };
}

/** Sends 2..10 stored media as one album (messages.sendMultiMedia), each with its caption and random_id. */
export async function sendAlbum(
  client: TgClient,
  peer: string,
  list: Array<{ media: StoredMedia; caption: string; randomId: string }>,
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const multiMedia = list.map((x) =>
    new Api.InputSingleMedia({ media: _stored(x.media), randomId: bigInt(x.randomId), message: x.caption })
  );
  const req = new Api.messages.SendMultiMedia({ peer: inputPeerOf(decodePeer(peer)), multiMedia });
  return await _send(client, req, signal);
}

/** Sends one stored media as a single message (an album's lone file of its kind). */
export async function sendStored(
  client: TgClient,
  peer: string,
  x: { media: StoredMedia; caption: string; randomId: string },
  signal?: AbortSignal,
): Promise<SendOutcome> {
  const req = new Api.messages.SendMedia({
    peer: inputPeerOf(decodePeer(peer)),
    media: _stored(x.media),
    message: x.caption,
    randomId: bigInt(x.randomId),
  });
  return await _send(client, req, signal);
}

async function _send(client: TgClient, req: object, signal?: AbortSignal): Promise<SendOutcome> {
  try {
    const res = await client.call<Api.TypeUpdates>(req, { signal });
    return { messageIds: _ids(res), duplicate: false };
  } catch (err) {
    if (err instanceof TelegramError && err.rpcMessage === "RANDOM_ID_DUPLICATE") {
      return { messageIds: [], duplicate: true };
    }
    throw err;
  }
}

function _ids(res: Api.TypeUpdates): number[] {
  const updates = "updates" in res ? res.updates : [];
  const ids: number[] = [];
  for (const u of updates) {
    if (u instanceof Api.UpdateNewMessage || u instanceof Api.UpdateNewChannelMessage) ids.push(u.message.id);
  }
  if (res instanceof Api.UpdateShortSentMessage) ids.push(res.id);
  return ids;
}

function _inputFile(f: UploadedFile): Api.TypeInputFile {
  const common = { id: bigInt(f.fileId), parts: f.parts, name: f.name };
  return f.big ? new Api.InputFileBig(common) : new Api.InputFile({ ...common, md5Checksum: f.md5 ?? "" });
}

function _inputMedia(m: OutgoingMedia): Api.TypeInputMedia {
  if (m.kind === "photo") return new Api.InputMediaUploadedPhoto({ file: _inputFile(m.file) });
  const attributes: Api.TypeDocumentAttribute[] = [
    new Api.DocumentAttributeFilename({ fileName: m.file.name }),
  ];
  if (m.video) {
    attributes.push(
      new Api.DocumentAttributeVideo({
        duration: m.video.duration,
        w: m.video.w,
        h: m.video.h,
        supportsStreaming: m.video.streaming || undefined,
      }),
    );
  }
  if (m.audio) {
    attributes.push(
      new Api.DocumentAttributeAudio({
        duration: Math.round(m.audio.duration),
        title: m.audio.title,
        performer: m.audio.performer,
      }),
    );
  }
  return new Api.InputMediaUploadedDocument({
    file: _inputFile(m.file),
    thumb: m.thumb ? _inputFile(m.thumb) : undefined,
    mimeType: m.mime,
    attributes,
    // a plain document stays one: Telegram would otherwise show some files as media
    forceFile: !m.video && !m.audio ? true : undefined,
  });
}

// A stored media as an input for sendMultiMedia.
function _stored(m: StoredMedia): Api.TypeInputMedia {
  const ref = {
    id: bigInt(m.id),
    accessHash: bigInt(m.accessHash),
    fileReference: Buffer.from(m.fileReference, "hex"),
  };
  return m.kind === "photo"
    ? new Api.InputMediaPhoto({ id: new Api.InputPhoto(ref) })
    : new Api.InputMediaDocument({ id: new Api.InputDocument(ref) });
}
