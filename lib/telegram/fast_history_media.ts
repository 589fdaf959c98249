/**
 * Message media for fast_history.ts: photos, documents, locations, contacts and polls read from
 * TL bytes straight into tgpipe's model, as map_media.ts maps GramJS's objects (same keys, same
 * order; an absent flag field, which GramJS reads as null, is left out). Kinds map_media.ts maps to nothing
 * (web pages, games, stories, ...) are skipped.
 */
import { Api } from "telegram";
import type { Contact, Location, Media } from "../core/message.ts";
import { encodeMediaRef, type MappedMedia } from "./map_media.ts";
import { pollPlans, readPoll } from "./fast_history_poll.ts";
import { attributePlans, readAttributes } from "./fast_history_attributes.ts";
import { type TlCursor, TlFields, TlUnsupported } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

/** A message's media as the model has it, plus what its RemoteFile needs. */
export interface DecodedMedia extends MappedMedia {
  /** A document's largest PhotoSize thumbnail (as media_messages.ts's _thumb picks it). */
  thumb?: { thumbSize: string; size: number };
}

/** A photo size as map_media.ts's _largest compares them, and whether it is a plain PhotoSize. */
interface _Size {
  type: string;
  w: number;
  h: number;
  size: number;
  plain: boolean;
}

interface _Plans {
  media: Map<number, TlPlan>;
  /** Kinds map_media.ts maps to nothing. */
  skip: Set<number>;
  photo: TlPlan;
  document: TlPlan;
  sizes: Map<number, TlPlan>;
  geo: TlPlan;
}

let _plans: _Plans | undefined;

/** The media constructors' plans; throws when GramJS's schema moved. */
export function mediaPlans(): _Plans {
  if (_plans) return _plans;
  const geo = ["geo:GeoPoint"], whs = ["type:string", "w:int", "h:int"];
  const media = new Map<number, TlPlan>();
  const add = (m: Map<number, TlPlan>, cls: { CONSTRUCTOR_ID: number }, f: string[]) =>
    m.set(cls.CONSTRUCTOR_ID >>> 0, needPlan(cls, f));
  add(media, Api.MessageMediaPhoto, ["spoiler:true", "photo:Photo"]);
  add(media, Api.MessageMediaDocument, ["spoiler:true", "document:Document"]);
  add(media, Api.MessageMediaGeo, geo);
  add(media, Api.MessageMediaGeoLive, [...geo, "period:int"]);
  add(media, Api.MessageMediaVenue, [
    ...geo,
    "title:string",
    "address:string",
    "provider:string",
    "venueId:string",
  ]);
  add(media, Api.MessageMediaContact, [
    "phoneNumber:string",
    "firstName:string",
    "lastName:string",
    "vcard:string",
    "userId:long",
  ]);
  media.set(Api.MessageMediaPoll.CONSTRUCTOR_ID >>> 0, pollPlans().media);
  attributePlans();
  const skip = new Set<number>();
  for (const cls of Object.values(Api)) {
    const k = cls as { CONSTRUCTOR_ID?: number; SUBCLASS_OF_ID?: number };
    const id = (k.CONSTRUCTOR_ID ?? 0) >>> 0;
    if (k.SUBCLASS_OF_ID === Api.MessageMediaEmpty.SUBCLASS_OF_ID && id && !media.has(id)) skip.add(id);
  }
  const sizes = new Map<number, TlPlan>();
  add(sizes, Api.PhotoSize, [...whs, "size:int"]);
  add(sizes, Api.PhotoSizeProgressive, [...whs, "sizes:Vector<int>"]);
  add(sizes, Api.PhotoCachedSize, [...whs, "bytes:bytes"]);
  const file = ["id:long", "accessHash:long", "fileReference:bytes"];
  return _plans = {
    media,
    skip,
    photo: needPlan(Api.Photo, [...file, "sizes:Vector<PhotoSize>", "dcId:int"]),
    document: needPlan(Api.Document, [
      ...file,
      "mimeType:string",
      "size:long",
      "thumbs:Vector<PhotoSize>",
      "dcId:int",
      "attributes:Vector<DocumentAttribute>",
    ]),
    sizes,
    geo: needPlan(Api.GeoPoint, ["long:double", "lat:double", "accuracyRadius:int"]),
  };
}

/** Reads a MessageMedia as mapMedia maps it. */
export function readMedia(c: TlCursor): DecodedMedia {
  const plans = mediaPlans();
  const id = c.uint();
  const plan = plans.media.get(id);
  if (!plan) {
    if (!plans.skip.has(id)) throw new TlUnsupported(`media ${id.toString(16)}`);
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  const name = plan.ctor.className;
  if (name === "MessageMediaPoll") return { poll: readPoll(c) };
  const f = new TlFields(c, plan);
  if (name === "MessageMediaPhoto" || name === "MessageMediaDocument") {
    let spoiler = false, got: DecodedMedia = {};
    for (let code = f.next(); code !== 0; code = f.next()) {
      if (code === 1) spoiler = true;
      else got = name === "MessageMediaPhoto" ? _photo(c, plans) : _document(c, plans);
    }
    if (got.media && spoiler) got.media.spoiler = true;
    return got;
  }
  const s: string[] = [];
  let loc: Location | undefined, period = 0, userId: number | null = null;
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (name === "MessageMediaContact") {
      if (code !== 5) s[code] = c.string();
      else {
        const v = c.longString();
        userId = v === "0" ? null : Number(v);
      }
    } else if (code === 1) loc = _point(c, plans);
    else if (name === "MessageMediaGeoLive") period = c.int();
    else s[code] = c.string();
  }
  if (name === "MessageMediaContact") {
    const ct: Contact = { first_name: s[2], last_name: s[3], phone: s[1] };
    if (userId) ct.user_id = userId;
    if (s[4]) ct.vcard = s[4];
    return { contact: ct };
  }
  if (!loc) return {};
  if (name === "MessageMediaGeoLive") loc.live_period = period;
  if (name === "MessageMediaVenue") {
    loc.venue = { title: s[2], address: s[3], provider: s[4], venue_id: s[5] };
  }
  return { location: loc };
}

function _point(c: TlCursor, plans: _Plans): Location | undefined {
  const id = c.uint();
  if (id !== plans.geo.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return undefined;
  }
  const f = new TlFields(c, plans.geo);
  let long = 0, lat = 0, acc: number | null = null;
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) long = c.double();
    else if (code === 2) lat = c.double();
    else acc = c.int();
  }
  const loc: Location = { latitude: lat, longitude: long };
  if (acc !== null) loc.accuracy_m = acc;
  return loc;
}

/** Reads a Vector<PhotoSize>. */
function _sizes(c: TlCursor, plans: _Plans): _Size[] {
  const out: _Size[] = [];
  for (let n = c.vector(); n > 0; n--) {
    const id = c.uint();
    const plan = plans.sizes.get(id);
    if (!plan) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const name = plan.ctor.className;
    const sz: _Size = { type: "", w: 0, h: 0, size: 0, plain: name === "PhotoSize" };
    const f = new TlFields(c, plan);
    for (let code = f.next(); code !== 0; code = f.next()) {
      if (code === 1) sz.type = c.string();
      else if (code === 2) sz.w = c.int();
      else if (code === 3) sz.h = c.int();
      else if (name === "PhotoSize") sz.size = c.int();
      else if (name === "PhotoCachedSize") sz.size = c.bytesLength();
      else {
        // Math.max(...sizes), -Infinity for none, as map_media.ts computes it
        let max = -Infinity;
        for (let m = c.vector(); m > 0; m--) max = Math.max(max, c.int());
        sz.size = max;
      }
    }
    out.push(sz);
  }
  return out;
}

/** map_media.ts's _largest: most pixels, then most bytes; the first of equals. */
function _largest(sizes: _Size[]): _Size | undefined {
  let best: _Size | undefined;
  for (const s of sizes) {
    if (!best || s.w * s.h > best.w * best.h || (s.w * s.h === best.w * best.h && s.size > best.size)) {
      best = s;
    }
  }
  return best;
}

/** Reads a Photo as the media of a MessageMediaPhoto without a spoiler (a chat photo's action). */
export function readPhoto(c: TlCursor): DecodedMedia {
  return _photo(c, mediaPlans());
}

function _photo(c: TlCursor, plans: _Plans): DecodedMedia {
  const id = c.uint();
  if (id !== plans.photo.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  const f = new TlFields(c, plans.photo);
  let pid = "", hash = "", ref = "", dc = 0, sizes: _Size[] = [];
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) pid = c.longString();
    else if (code === 2) hash = c.longString();
    else if (code === 3) ref = c.bytesHex();
    else if (code === 4) sizes = _sizes(c, plans);
    else dc = c.int();
  }
  const best = _largest(sizes);
  if (!best) return {};
  const r = encodeMediaRef({
    type: "photo",
    id: pid,
    accessHash: hash,
    fileReference: ref,
    dcId: dc,
    thumbSize: best.type,
  });
  return { media: { kind: "photo", ref: r, size: best.size, width: best.w, height: best.h } };
}

function _document(c: TlCursor, plans: _Plans): DecodedMedia {
  const id = c.uint();
  if (id !== plans.document.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  const f = new TlFields(c, plans.document);
  let did = "", hash = "", ref = "", mime = "", size = 0, dc = 0, attrsAt = -1, thumbs: _Size[] = [];
  for (let code = f.next(); code !== 0; code = f.next()) {
    if (code === 1) did = c.longString();
    else if (code === 2) hash = c.longString();
    else if (code === 3) ref = c.bytesHex();
    else if (code === 4) mime = c.string();
    else if (code === 5) size = Number(c.longString());
    else if (code === 6) thumbs = _sizes(c, plans);
    else if (code === 7) dc = c.int();
    else {
      // the attributes set keys after ref, mime_type, size and thumb_ref: read them at the end
      attrsAt = c.o;
      c.skipObject();
    }
  }
  const base = { id: did, accessHash: hash, fileReference: ref, dcId: dc };
  const media: Media = {
    kind: "document",
    ref: encodeMediaRef({ type: "document", ...base, thumbSize: "" }),
    mime_type: mime,
    size,
  };
  const thumb = _largest(thumbs);
  if (thumb) media.thumb_ref = encodeMediaRef({ type: "document", ...base, thumbSize: thumb.type });
  if (attrsAt >= 0) {
    const end = c.o;
    c.o = attrsAt;
    readAttributes(c, media);
    c.o = end;
  }
  const out: DecodedMedia = { media };
  const plain = thumbs.filter((t) => t.plain).sort((a, b) => b.w * b.h - a.w * a.h)[0];
  if (plain && plain.size > 0) out.thumb = { thumbSize: plain.type, size: plain.size };
  return out;
}
