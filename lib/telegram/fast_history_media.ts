/**
 * The media and entities part of fast_history.ts: message media, photos, documents, locations,
 * contacts and formatting entities read from TL bytes straight into tgpipe's model, field by
 * field as map_media.ts / map_message.ts map GramJS's objects (same keys, same order, same
 * treatment of absent fields, which GramJS reads as null). Media kinds map_media.ts does not map
 * (web pages, games, stories, ...) are skipped.
 */
import { Api } from "telegram";
import type { Contact, Location, Media, MessageEntity, Poll } from "../core/message.ts";
import { encodeMediaRef, type MappedMedia } from "./map_media.ts";
import { PLAIN_ENTITIES } from "./map_message.ts";
import { K_FLAGS, type TlArg, type TlCursor, type TlPlan, tlPlan, TlUnsupported } from "./tl_cursor.ts";

/** Whether a present-or-absent argument is there, given its constructor's flags fields. */
export function present(a: TlArg, flags: number, flags2: number): boolean {
  return a.flagSlot < 0 || ((a.flagSlot === 0 ? flags : flags2) & (1 << a.flagBit)) !== 0;
}

/** A photo size as `_largest` in map_media.ts compares them, and whether it is a plain PhotoSize. */
interface _Size {
  type: string;
  w: number;
  h: number;
  size: number;
  plain: boolean;
}

/** What a document's media needs beyond its model: the file reference and its plain thumbnail. */
export interface DecodedMedia extends MappedMedia {
  /** The file reference (hex) of a photo or document. */
  fileReference?: string;
  /** A document's largest PhotoSize thumbnail (as media_messages.ts's _thumb picks it). */
  thumb?: { thumbSize: string; size: number };
}

interface _Plans {
  entities: Map<number, { plan: TlPlan; type: string }>;
  photoSizes: Map<number, TlPlan>;
  media: Map<number, TlPlan>;
  skipMedia: Set<number>;
  photo: TlPlan;
  photoEmpty: number;
  document: TlPlan;
  documentEmpty: number;
  attributes: Map<number, TlPlan>;
  geo: TlPlan;
  poll: TlPlan;
  pollAnswer: TlPlan;
  pollResults: TlPlan;
  pollVoters: TlPlan;
  text: TlPlan;
}

let _plans: _Plans | undefined | null;

function _need(p: TlPlan | undefined): TlPlan {
  if (!p) throw new Error("fast_history: schema changed");
  return p;
}

/** Plans of this module; null when GramJS's schema no longer matches them (all pages go to GramJS). */
function _mediaPlans(): _Plans | null {
  if (_plans !== undefined) return _plans;
  try {
    const entities = new Map<number, { plan: TlPlan; type: string }>();
    const range = ["offset:int", "length:int"];
    for (const [cls, type] of Object.entries(PLAIN_ENTITIES)) {
      entities.set(_id(cls), { plan: _need(tlPlan(_id(cls), range)), type });
    }
    entities.set(_id("MessageEntityPre"), {
      plan: _need(tlPlan(_id("MessageEntityPre"), [...range, "language:string"])),
      type: "pre",
    });
    const special: Array<[string, string, string]> = [
      ["MessageEntityTextUrl", "text_link", "url:string"],
      ["MessageEntityMentionName", "mention_name", "userId:long"],
      ["MessageEntityBlockquote", "blockquote", "collapsed:true"],
      ["MessageEntityCustomEmoji", "custom_emoji", "documentId:long"],
    ];
    for (const [cls, type, f] of special) {
      entities.set(_id(cls), { plan: _need(tlPlan(_id(cls), [...range, f])), type });
    }
    const whs = ["type:string", "w:int", "h:int"];
    const photoSizes = new Map<number, TlPlan>([
      [_id("PhotoSize"), _need(tlPlan(_id("PhotoSize"), [...whs, "size:int"]))],
      [
        _id("PhotoSizeProgressive"),
        _need(tlPlan(_id("PhotoSizeProgressive"), [...whs, "sizes:Vector<int>"])),
      ],
      [_id("PhotoCachedSize"), _need(tlPlan(_id("PhotoCachedSize"), [...whs, "bytes:bytes"]))],
    ]);
    const geo = ["geo:GeoPoint"];
    const media = new Map<number, TlPlan>([
      [_id("MessageMediaPhoto"), _need(tlPlan(_id("MessageMediaPhoto"), ["spoiler:true", "photo:Photo"]))],
      [
        _id("MessageMediaDocument"),
        _need(tlPlan(_id("MessageMediaDocument"), ["spoiler:true", "document:Document"])),
      ],
      [_id("MessageMediaGeo"), _need(tlPlan(_id("MessageMediaGeo"), geo))],
      [_id("MessageMediaGeoLive"), _need(tlPlan(_id("MessageMediaGeoLive"), [...geo, "period:int"]))],
      [
        _id("MessageMediaVenue"),
        _need(tlPlan(_id("MessageMediaVenue"), [
          ...geo,
          "title:string",
          "address:string",
          "provider:string",
          "venueId:string",
        ])),
      ],
      [
        _id("MessageMediaContact"),
        _need(tlPlan(_id("MessageMediaContact"), [
          "phoneNumber:string",
          "firstName:string",
          "lastName:string",
          "vcard:string",
          "userId:long",
        ])),
      ],
    ]);
    media.set(
      _id("MessageMediaPoll"),
      _need(tlPlan(_id("MessageMediaPoll"), ["poll:Poll", "results:PollResults"])),
    );
    // kinds map_media.ts maps to nothing: read past them
    const skipMedia = new Set<number>();
    const mapped = new Set(media.keys());
    const mediaType = Api.MessageMediaEmpty.SUBCLASS_OF_ID;
    for (const cls of Object.values(Api)) {
      const k = cls as { CONSTRUCTOR_ID?: number; SUBCLASS_OF_ID?: number };
      if (k.SUBCLASS_OF_ID === mediaType && k.CONSTRUCTOR_ID && !mapped.has(k.CONSTRUCTOR_ID >>> 0)) {
        skipMedia.add(k.CONSTRUCTOR_ID >>> 0);
      }
    }
    const attributes = new Map<number, TlPlan>([
      [
        _id("DocumentAttributeFilename"),
        _need(tlPlan(_id("DocumentAttributeFilename"), ["fileName:string"])),
      ],
      [_id("DocumentAttributeAnimated"), _need(tlPlan(_id("DocumentAttributeAnimated"), []))],
      [_id("DocumentAttributeSticker"), _need(tlPlan(_id("DocumentAttributeSticker"), ["alt:string"]))],
      [
        _id("DocumentAttributeVideo"),
        _need(
          tlPlan(_id("DocumentAttributeVideo"), ["roundMessage:true", "duration:double", "w:int", "h:int"]),
        ),
      ],
      [
        _id("DocumentAttributeAudio"),
        _need(tlPlan(_id("DocumentAttributeAudio"), [
          "voice:true",
          "duration:int",
          "title:string",
          "performer:string",
        ])),
      ],
      [
        _id("DocumentAttributeImageSize"),
        _need(tlPlan(_id("DocumentAttributeImageSize"), ["w:int", "h:int"])),
      ],
    ]);
    _plans = {
      entities,
      photoSizes,
      media,
      skipMedia,
      photo: _need(tlPlan(_id("Photo"), [
        "id:long",
        "accessHash:long",
        "fileReference:bytes",
        "sizes:Vector<PhotoSize>",
        "dcId:int",
      ])),
      photoEmpty: _id("PhotoEmpty"),
      document: _need(tlPlan(_id("Document"), [
        "id:long",
        "accessHash:long",
        "fileReference:bytes",
        "mimeType:string",
        "size:long",
        "thumbs:Vector<PhotoSize>",
        "dcId:int",
        "attributes:Vector<DocumentAttribute>",
      ])),
      documentEmpty: _id("DocumentEmpty"),
      attributes,
      geo: _need(tlPlan(_id("GeoPoint"), ["long:double", "lat:double", "accuracyRadius:int"])),
      poll: _need(tlPlan(_id("Poll"), [
        "closed:true",
        "multipleChoice:true",
        "quiz:true",
        "question:TextWithEntities",
        "answers:Vector<PollAnswer>",
      ])),
      pollAnswer: _need(tlPlan(_id("PollAnswer"), ["text:TextWithEntities", "option:bytes"])),
      pollResults: _need(tlPlan(_id("PollResults"), ["results:Vector<PollAnswerVoters>", "totalVoters:int"])),
      pollVoters: _need(tlPlan(_id("PollAnswerVoters"), [
        "chosen:true",
        "correct:true",
        "option:bytes",
        "voters:int",
      ])),
      text: _need(tlPlan(_id("TextWithEntities"), ["text:string"])),
    };
  } catch {
    _plans = null;
  }
  return _plans;
}

/** True when this module's plans match GramJS's schema. */
export function mediaPlansReady(): boolean {
  return _mediaPlans() !== null;
}

function _id(cls: string): number {
  const c = (Api as unknown as Record<string, { CONSTRUCTOR_ID?: number }>)[cls];
  if (!c?.CONSTRUCTOR_ID) throw new Error(`fast_history: no Api.${cls}`);
  return c.CONSTRUCTOR_ID >>> 0;
}

/** Reads a Vector<MessageEntity> into the model's entities (kinds the mapper drops are dropped). */
export function readEntities(c: TlCursor): MessageEntity[] {
  const plans = _mediaPlans()!;
  const n = c.vector();
  const out: MessageEntity[] = [];
  for (let k = 0; k < n; k++) {
    const id = c.uint();
    const e = plans.entities.get(id);
    if (!e) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const args = e.plan.ctor.args, codes = e.plan.codes;
    let flags = 0, flags2 = 0, offset = 0, length = 0;
    let extra: string | number | boolean | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.kind === K_FLAGS) {
        if (a.flagSlot === 0) flags = c.int();
        else flags2 = c.int();
        continue;
      }
      if (!present(a, flags, flags2)) continue;
      const code = codes[i];
      if (code === 1) offset = c.int();
      else if (code === 2) length = c.int();
      else if (code === 3) {
        extra = e.type === "mention_name"
          ? c.longNumber()
          : e.type === "custom_emoji"
          ? c.longString()
          : e.type === "blockquote"
          ? true
          : c.string();
      } else c.skipArg(a);
    }
    out.push(_entity(offset, length, e.type, extra));
  }
  return out;
}

function _entity(
  offset: number,
  length: number,
  type: string,
  x: string | number | boolean | null,
): MessageEntity {
  switch (type) {
    case "pre":
      return x ? { offset, length, type, language: x as string } : { offset, length, type };
    case "text_link":
      return { offset, length, type, url: x as string };
    case "mention_name":
      return { offset, length, type, user_id: x as number };
    case "blockquote":
      return x ? { offset, length, type, collapsed: true } : { offset, length, type };
    case "custom_emoji":
      return { offset, length, type, document_id: x as string };
  }
  return { offset, length, type } as MessageEntity;
}

/** Reads a MessageMedia as mapMedia maps it. */
export function readMedia(c: TlCursor): DecodedMedia {
  const plans = _mediaPlans()!;
  const id = c.uint();
  const plan = plans.media.get(id);
  if (!plan) {
    if (!plans.skipMedia.has(id)) throw new TlUnsupported(`media ${id.toString(16)}`);
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  if (plan.ctor.className === "MessageMediaPoll") return { poll: _poll(c, plans, plan) };
  const args = plan.ctor.args, codes = plan.codes, name = plan.ctor.className;
  let flags = 0, flags2 = 0, spoiler = false;
  let got: DecodedMedia = {};
  let loc: Location | undefined;
  const s: string[] = [];
  let n = 0, userId: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 0) c.skipArg(a);
    else if (name === "MessageMediaPhoto" || name === "MessageMediaDocument") {
      if (code === 1) spoiler = true;
      else got = name === "MessageMediaPhoto" ? _photo(c, plans) : _document(c, plans);
    } else if (name === "MessageMediaContact") {
      if (code === 5) {
        const v = c.longString();
        userId = v === "0" ? null : Number(v);
      } else s[code - 1] = c.string();
    } else if (code === 1) loc = _point(c, plans);
    else if (name === "MessageMediaGeoLive") n = c.int();
    else s[code - 1] = c.string();
  }
  if (name === "MessageMediaPhoto" || name === "MessageMediaDocument") {
    if (got.media && spoiler) got.media.spoiler = true;
    return got;
  }
  if (name === "MessageMediaContact") {
    const ct: Contact = { first_name: s[1], last_name: s[2], phone: s[0] };
    if (userId) ct.user_id = userId;
    if (s[3]) ct.vcard = s[3];
    return { contact: ct };
  }
  if (!loc) return {};
  if (name === "MessageMediaGeoLive") loc.live_period = n;
  if (name === "MessageMediaVenue") {
    loc.venue = { title: s[1], address: s[2], provider: s[3], venue_id: s[4] };
  }
  return { location: loc };
}

function _point(c: TlCursor, plans: _Plans): Location | undefined {
  const id = c.uint();
  if (id !== plans.geo.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return undefined;
  }
  const args = plans.geo.ctor.args, codes = plans.geo.codes;
  let flags = 0, flags2 = 0, long = 0, lat = 0, acc: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) long = c.double();
    else if (code === 2) lat = c.double();
    else if (code === 3) acc = c.int();
    else c.skipArg(a);
  }
  const loc: Location = { latitude: lat, longitude: long };
  // GramJS reads an absent accuracy_radius as null, and map_media.ts keeps it (!== undefined)
  loc.accuracy_m = acc as number;
  return loc;
}

/** Reads a Vector<PhotoSize>. */
function _sizes(c: TlCursor, plans: _Plans): _Size[] {
  const n = c.vector();
  const out: _Size[] = [];
  for (let k = 0; k < n; k++) {
    const id = c.uint();
    const plan = plans.photoSizes.get(id);
    if (!plan) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const args = plan.ctor.args, codes = plan.codes;
    const sz: _Size = { type: "", w: 0, h: 0, size: 0, plain: plan.ctor.className === "PhotoSize" };
    let flags = 0, flags2 = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.kind === K_FLAGS) {
        if (a.flagSlot === 0) flags = c.int();
        else flags2 = c.int();
        continue;
      }
      if (!present(a, flags, flags2)) continue;
      const code = codes[i];
      if (code === 1) sz.type = c.string();
      else if (code === 2) sz.w = c.int();
      else if (code === 3) sz.h = c.int();
      else if (code === 4) {
        if (a.type === "int" && !a.vector) sz.size = c.int();
        else if (a.vector) {
          const m = c.vector();
          let max = -Infinity;
          for (let j = 0; j < m; j++) max = Math.max(max, c.int());
          sz.size = max;
        } else sz.size = c.bytesLength();
      } else c.skipArg(a);
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

function _photo(c: TlCursor, plans: _Plans): DecodedMedia {
  const id = c.uint();
  if (id !== plans.photo.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  const args = plans.photo.ctor.args, codes = plans.photo.codes;
  let flags = 0, flags2 = 0, pid = "", hash = "", ref = "", dc = 0;
  let sizes: _Size[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) pid = c.longString();
    else if (code === 2) hash = c.longString();
    else if (code === 3) ref = c.bytesHex();
    else if (code === 4) sizes = _sizes(c, plans);
    else if (code === 5) dc = c.int();
    else c.skipArg(a);
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
  const media: Media = { kind: "photo", ref: r, size: best.size, width: best.w, height: best.h };
  return { media, fileReference: ref };
}

function _document(c: TlCursor, plans: _Plans): DecodedMedia {
  const id = c.uint();
  if (id !== plans.document.ctor.id) {
    c.skipFields(c.ctor(id), 0, 0, 0);
    return {};
  }
  const args = plans.document.ctor.args, codes = plans.document.codes;
  let flags = 0, flags2 = 0, did = "", hash = "", ref = "", mime = "", size = 0, dc = 0;
  let thumbs: _Size[] = [];
  let attrsAt = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    const code = codes[i];
    if (code === 1) did = c.longString();
    else if (code === 2) hash = c.longString();
    else if (code === 3) ref = c.bytesHex();
    else if (code === 4) mime = c.string();
    else if (code === 5) size = Number(c.longString());
    else if (code === 6) thumbs = _sizes(c, plans);
    else if (code === 7) dc = c.int();
    else if (code === 8) {
      // attributes come last in the schema, after dc_id: read them once the ref can be built
      attrsAt = c.o;
      c.skipArg(a);
    } else c.skipArg(a);
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
    _attributes(c, plans, media);
    c.o = end;
  }
  const out: DecodedMedia = { media, fileReference: ref };
  const plain = thumbs.filter((t) => t.plain).sort((a, b) => b.w * b.h - a.w * a.h)[0];
  if (plain && plain.size > 0) out.thumb = { thumbSize: plain.type, size: plain.size };
  return out;
}

function _attributes(c: TlCursor, plans: _Plans, out: Media): void {
  const n = c.vector();
  let animated = false;
  for (let k = 0; k < n; k++) {
    const id = c.uint();
    const plan = plans.attributes.get(id);
    if (!plan) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const args = plan.ctor.args, codes = plan.codes, name = plan.ctor.className;
    let flags = 0, flags2 = 0, flag = false, w = 0, h = 0, dur = 0;
    let s1: string | null = null, s2: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.kind === K_FLAGS) {
        if (a.flagSlot === 0) flags = c.int();
        else flags2 = c.int();
        continue;
      }
      if (!present(a, flags, flags2)) continue;
      const code = codes[i];
      if (code === 0) c.skipArg(a);
      else if (name === "DocumentAttributeVideo") {
        if (code === 1) flag = true;
        else if (code === 2) dur = c.double();
        else if (code === 3) w = c.int();
        else h = c.int();
      } else if (name === "DocumentAttributeAudio") {
        if (code === 1) flag = true;
        else if (code === 2) dur = c.int();
        else if (code === 3) s1 = c.string();
        else s2 = c.string();
      } else if (name === "DocumentAttributeImageSize") {
        if (code === 1) w = c.int();
        else h = c.int();
      } else s1 = c.string();
    }
    if (name === "DocumentAttributeFilename") out.file_name = s1 as string;
    else if (name === "DocumentAttributeAnimated") animated = true;
    else if (name === "DocumentAttributeSticker") {
      out.kind = "sticker";
      if (s1) out.emoji = s1;
    } else if (name === "DocumentAttributeVideo") {
      if (out.kind !== "sticker") out.kind = flag ? "round" : "video";
      Object.assign(out, { width: w, height: h, duration: dur });
    } else if (name === "DocumentAttributeAudio") {
      out.kind = flag ? "voice" : "audio";
      out.duration = dur;
      if (s2) out.performer = s2;
      if (s1) out.title = s1;
    } else if (name === "DocumentAttributeImageSize" && out.width === undefined) {
      Object.assign(out, { width: w, height: h });
    }
  }
  if (animated && out.kind !== "sticker") out.kind = "animation";
}

/** Reads the fields of `plan` that have codes, handing each to `take` (the rest are skipped). */
function _walk(c: TlCursor, plan: TlPlan, take: (code: number, a: TlArg) => void): void {
  const args = plan.ctor.args, codes = plan.codes;
  let flags = 0, flags2 = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.kind === K_FLAGS) {
      if (a.flagSlot === 0) flags = c.int();
      else flags2 = c.int();
      continue;
    }
    if (!present(a, flags, flags2)) continue;
    if (codes[i] === 0) c.skipArg(a);
    else take(codes[i], a);
  }
}

/** A boxed object of `plan`'s constructor; TlUnsupported for any other. */
function _boxed(c: TlCursor, plan: TlPlan, take: (code: number, a: TlArg) => void): void {
  const id = c.uint();
  if (id !== plan.ctor.id) throw new TlUnsupported(`${plan.ctor.className} expected, got ${id.toString(16)}`);
  _walk(c, plan, take);
}

function _textOf(c: TlCursor, plans: _Plans): string {
  let text = "";
  _boxed(c, plans.text, () => text = c.string());
  return text;
}

/** map_media.ts's _poll (polls are rare: the closures here cost nothing that matters). */
function _poll(c: TlCursor, plans: _Plans, plan: TlPlan): Poll {
  let closed = false, multiple = false, quiz = false, question = "";
  const answers: Array<{ text: string; option: string }> = [];
  const voters = new Map<string, { chosen: boolean; correct: boolean; voters: number }>();
  let total: number | null = null;
  _walk(c, plan, (code) => {
    if (code === 1) {
      _boxed(c, plans.poll, (f) => {
        if (f === 1) closed = true;
        else if (f === 2) multiple = true;
        else if (f === 3) quiz = true;
        else if (f === 4) question = _textOf(c, plans);
        else {
          for (let n = c.vector(); n > 0; n--) {
            const a = { text: "", option: "" };
            _boxed(
              c,
              plans.pollAnswer,
              (g) => g === 1 ? a.text = _textOf(c, plans) : a.option = c.bytesHex(),
            );
            answers.push(a);
          }
        }
      });
    } else {
      _boxed(c, plans.pollResults, (f) => {
        if (f === 2) total = c.int();
        else {
          for (let n = c.vector(); n > 0; n--) {
            const v = { chosen: false, correct: false, voters: 0 };
            let option = "";
            _boxed(c, plans.pollVoters, (g) => {
              if (g === 1) v.chosen = true;
              else if (g === 2) v.correct = true;
              else if (g === 3) option = c.bytesHex();
              else v.voters = c.int();
            });
            voters.set(option, v);
          }
        }
      });
    }
  });
  const poll: Poll = {
    question,
    answers: answers.map((a) => {
      const r = voters.get(a.option);
      const out: Poll["answers"][number] = { text: a.text };
      if (r) {
        out.voters = r.voters;
        if (r.chosen) out.chosen = true;
        if (r.correct) out.correct = true;
      }
      return out;
    }),
  };
  // GramJS reads an absent total_voters as null, and map_media.ts keeps it (!== undefined)
  poll.total_voters = total as unknown as number;
  if (closed) poll.closed = true;
  if (quiz) poll.quiz = true;
  if (multiple) poll.multiple_choice = true;
  return poll;
}
