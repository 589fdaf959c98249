/**
 * Maps GramJS message media into tgpipe's Media/Poll/Location/Contact, and encodes file
 * locators (`ref`) that lib/telegram can later turn back into an InputFileLocation.
 */
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import type { Contact, Location, Media, Poll } from "../core/message.ts";

/** A decoded media locator: what upload.getFile needs, plus the message it came from. */
export interface MediaLocator {
  type: "document" | "photo";
  id: string;
  accessHash: string;
  /** Hex; expires, so callers refetch the message on FILE_REFERENCE_EXPIRED. */
  fileReference: string;
  dcId: number;
  /** Photo size type ("y", "w", ...) or "" for the whole document. */
  thumbSize: string;
  size?: number;
}

/** What a message's media maps to (at most one of these is set). */
export interface MappedMedia {
  media?: Media;
  poll?: Poll;
  location?: Location;
  contact?: Contact;
}

/** Encodes a locator as `tg:<type>:<id>:<access_hash>:<dc>:<thumb>:<file_reference hex>`. */
export function encodeMediaRef(l: MediaLocator): string {
  return `tg:${l.type}:${l.id}:${l.accessHash}:${l.dcId}:${l.thumbSize}:${l.fileReference}`;
}

/** Decodes a `tg:` media ref; RangeError for anything else (e.g. Desktop export paths). */
export function decodeMediaRef(ref: string): MediaLocator {
  const m = /^tg:(document|photo):(-?\d+):(-?\d+):(\d+):([a-z]*):([0-9a-f]*)$/i.exec(ref);
  if (!m) throw new RangeError(`Not a Telegram media ref: ${JSON.stringify(ref)}`);
  return {
    type: m[1] as "document" | "photo",
    id: m[2],
    accessHash: m[3],
    dcId: Number(m[4]),
    thumbSize: m[5],
    fileReference: m[6],
  };
}

/** Maps a message's media; unknown kinds (web pages, games, ...) map to nothing. */
export function mapMedia(media: Api.TypeMessageMedia | undefined): MappedMedia {
  if (!media) return {};
  if (media instanceof Api.MessageMediaPhoto) {
    const p = media.photo;
    if (!(p instanceof Api.Photo)) return {};
    const best = _largest(p.sizes);
    if (!best) return {};
    const ref = encodeMediaRef({
      type: "photo",
      id: p.id.toString(),
      accessHash: p.accessHash.toString(),
      fileReference: Buffer.from(p.fileReference).toString("hex"),
      dcId: p.dcId,
      thumbSize: best.type,
      size: best.size,
    });
    const out: Media = { kind: "photo", ref, size: best.size, width: best.w, height: best.h };
    if (media.spoiler) out.spoiler = true;
    return { media: out };
  }
  if (media instanceof Api.MessageMediaDocument) return _document(media);
  if (media instanceof Api.MessageMediaPoll) return { poll: _poll(media) };
  if (media instanceof Api.MessageMediaGeo || media instanceof Api.MessageMediaGeoLive) {
    const loc = _point(media.geo);
    if (loc && media instanceof Api.MessageMediaGeoLive) loc.live_period = media.period;
    return loc ? { location: loc } : {};
  }
  if (media instanceof Api.MessageMediaVenue) {
    const loc = _point(media.geo);
    if (!loc) return {};
    loc.venue = {
      title: media.title,
      address: media.address,
      provider: media.provider,
      venue_id: media.venueId,
    };
    return { location: loc };
  }
  if (media instanceof Api.MessageMediaContact) {
    const c: Contact = { first_name: media.firstName, last_name: media.lastName, phone: media.phoneNumber };
    if (media.userId && !media.userId.isZero()) c.user_id = Number(media.userId);
    if (media.vcard) c.vcard = media.vcard;
    return { contact: c };
  }
  return {};
}

function _document(media: Api.MessageMediaDocument): MappedMedia {
  const d = media.document;
  if (!(d instanceof Api.Document)) return {};
  const fileReference = Buffer.from(d.fileReference).toString("hex");
  const base = { id: d.id.toString(), accessHash: d.accessHash.toString(), fileReference, dcId: d.dcId };
  const out: Media = {
    kind: "document",
    ref: encodeMediaRef({ type: "document", ...base, thumbSize: "", size: Number(d.size) }),
    mime_type: d.mimeType,
    size: Number(d.size),
  };
  const thumb = _largest(d.thumbs ?? []);
  if (thumb) {
    out.thumb_ref = encodeMediaRef({ type: "document", ...base, thumbSize: thumb.type, size: thumb.size });
  }
  let animated = false;
  for (const a of d.attributes) {
    if (a instanceof Api.DocumentAttributeFilename) out.file_name = a.fileName;
    else if (a instanceof Api.DocumentAttributeAnimated) animated = true;
    else if (a instanceof Api.DocumentAttributeSticker) {
      out.kind = "sticker";
      if (a.alt) out.emoji = a.alt;
    } else if (a instanceof Api.DocumentAttributeVideo) {
      if (out.kind !== "sticker") out.kind = a.roundMessage ? "round" : "video";
      Object.assign(out, { width: a.w, height: a.h, duration: a.duration });
    } else if (a instanceof Api.DocumentAttributeAudio) {
      out.kind = a.voice ? "voice" : "audio";
      out.duration = a.duration;
      if (a.performer) out.performer = a.performer;
      if (a.title) out.title = a.title;
    } else if (a instanceof Api.DocumentAttributeImageSize && out.width === undefined) {
      Object.assign(out, { width: a.w, height: a.h });
    }
  }
  if (animated && out.kind !== "sticker") out.kind = "animation";
  if (media.spoiler) out.spoiler = true;
  return { media: out };
}

function _largest(
  sizes: Api.TypePhotoSize[],
): { type: string; w: number; h: number; size: number } | undefined {
  let best: { type: string; w: number; h: number; size: number } | undefined;
  for (const s of sizes) {
    let size: number | undefined;
    if (s instanceof Api.PhotoSize) size = s.size;
    else if (s instanceof Api.PhotoSizeProgressive) size = Math.max(...s.sizes);
    else if (s instanceof Api.PhotoCachedSize) size = s.bytes.length;
    if (size === undefined) continue;
    const c = s as Api.PhotoSize;
    if (!best || c.w * c.h > best.w * best.h || (c.w * c.h === best.w * best.h && size > best.size)) {
      best = { type: c.type, w: c.w, h: c.h, size };
    }
  }
  return best;
}

function _poll(media: Api.MessageMediaPoll): Poll {
  const p = media.poll;
  const results = new Map<string, Api.PollAnswerVoters>();
  for (const r of media.results.results ?? []) results.set(Buffer.from(r.option).toString("hex"), r);
  const poll: Poll = {
    question: _text(p.question),
    answers: p.answers.map((a) => {
      const r = results.get(Buffer.from(a.option).toString("hex"));
      const out: Poll["answers"][number] = { text: _text(a.text) };
      if (r) {
        out.voters = r.voters;
        if (r.chosen) out.chosen = true;
        if (r.correct) out.correct = true;
      }
      return out;
    }),
  };
  // absent (results not known) is null in GramJS
  if (media.results.totalVoters != null) poll.total_voters = media.results.totalVoters;
  if (p.closed) poll.closed = true;
  if (p.quiz) poll.quiz = true;
  if (p.multipleChoice) poll.multiple_choice = true;
  return poll;
}

function _text(t: Api.TypeTextWithEntities | string): string {
  return typeof t === "string" ? t : t.text;
}

function _point(geo: Api.TypeGeoPoint): Location | undefined {
  if (!(geo instanceof Api.GeoPoint)) return undefined;
  const loc: Location = { latitude: geo.lat, longitude: geo.long };
  if (geo.accuracyRadius != null) loc.accuracy_m = geo.accuracyRadius;
  return loc;
}
