/** World media, entities and service actions -> TL objects of a given layer. */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import type { WAction, WDocument, WEntity, WFile, WMedia, WPhoto, WPhotoSize } from "./types.ts";

// deno-lint-ignore no-explicit-any
type Api = any;
// deno-lint-ignore no-explicit-any
type Tl = any;

/** What media conversion needs from the caller: the layer, where a file lives, a fresh reference. */
export interface MediaEnv {
  A: Api;
  layer: number;
  fileDc(f: WFile): number;
  fileRef(f: WFile): Buffer;
}

/** A bigint as GramJS's big-integer. */
export const big = (v: bigint | number): Tl => bigInt(String(v));

const ENTITY: Record<WEntity["type"], string> = {
  bold: "MessageEntityBold",
  italic: "MessageEntityItalic",
  underline: "MessageEntityUnderline",
  strikethrough: "MessageEntityStrike",
  spoiler: "MessageEntitySpoiler",
  code: "MessageEntityCode",
  pre: "MessageEntityPre",
  link: "MessageEntityUrl",
  text_link: "MessageEntityTextUrl",
  mention: "MessageEntityMention",
  mention_name: "MessageEntityMentionName",
  hashtag: "MessageEntityHashtag",
  cashtag: "MessageEntityCashtag",
  bot_command: "MessageEntityBotCommand",
  email: "MessageEntityEmail",
  phone: "MessageEntityPhone",
  blockquote: "MessageEntityBlockquote",
  custom_emoji: "MessageEntityCustomEmoji",
  bank_card: "MessageEntityBankCard",
  unknown: "MessageEntityUnknown",
};

/** Entities; a type the layer lacks becomes MessageEntityUnknown with the same range. */
export function entitiesToTl(A: Api, list: WEntity[]): Tl[] {
  return list.map((e) => {
    const C = A[ENTITY[e.type]] ?? A.MessageEntityUnknown;
    return new C({
      offset: e.offset,
      length: e.length,
      language: e.language ?? "",
      url: e.url ?? "",
      userId: e.userId !== undefined ? big(e.userId) : undefined,
      documentId: e.documentId !== undefined ? big(e.documentId) : undefined,
      collapsed: e.collapsed || undefined,
    });
  });
}

/** PhotoSize list of a photo or thumbnail set. */
function _sizes(A: Api, sizes: WPhotoSize[]): Tl[] {
  return sizes.map((s) => new A.PhotoSize({ type: s.type, w: s.w, h: s.h, size: s.blob.size }));
}

/** A Photo with a fresh file reference. */
export function photoToTl(env: MediaEnv, p: WPhoto): Tl {
  const A = env.A;
  return new A.Photo({
    id: big(p.id),
    accessHash: big(p.accessHash),
    fileReference: env.fileRef(p),
    date: p.date,
    sizes: _sizes(A, p.sizes),
    dcId: env.fileDc(p),
  });
}

/** A Document with its attributes and thumbnails. */
export function documentToTl(env: MediaEnv, d: WDocument): Tl {
  const A = env.A, a = d.attrs, attributes: Tl[] = [];
  if (a.imageSize) attributes.push(new A.DocumentAttributeImageSize(a.imageSize));
  if (a.animated) attributes.push(new A.DocumentAttributeAnimated());
  if (a.sticker) {
    attributes.push(
      new A.DocumentAttributeSticker({ alt: a.sticker.alt, stickerset: new A.InputStickerSetEmpty() }),
    );
  }
  if (a.video) {
    attributes.push(
      new A.DocumentAttributeVideo({
        roundMessage: a.video.round || undefined,
        supportsStreaming: a.video.supportsStreaming || undefined,
        duration: a.video.duration,
        w: a.video.w,
        h: a.video.h,
      }),
    );
  }
  if (a.audio) {
    attributes.push(
      new A.DocumentAttributeAudio({
        voice: a.audio.voice || undefined,
        duration: a.audio.duration,
        title: a.audio.title,
        performer: a.audio.performer,
        waveform: a.audio.waveform ? Buffer.from(a.audio.waveform) : undefined,
      }),
    );
  }
  if (a.fileName !== undefined) attributes.push(new A.DocumentAttributeFilename({ fileName: a.fileName }));
  return new A.Document({
    id: big(d.id),
    accessHash: big(d.accessHash),
    fileReference: env.fileRef(d),
    date: d.date,
    mimeType: d.mimeType,
    size: big(d.blob.size),
    thumbs: d.thumbs.length ? _sizes(A, d.thumbs) : undefined,
    dcId: env.fileDc(d),
    attributes,
  });
}

/** MessageMedia for world media. */
export function mediaToTl(env: MediaEnv, m: WMedia): Tl {
  const A = env.A;
  switch (m.kind) {
    case "photo":
      return new A.MessageMediaPhoto({ photo: photoToTl(env, m.photo) });
    case "document": {
      const v = m.doc.attrs.video, au = m.doc.attrs.audio;
      return new A.MessageMediaDocument({
        document: documentToTl(env, m.doc),
        video: (v && !v.round && !m.doc.attrs.animated) || undefined,
        round: v?.round || undefined,
        voice: au?.voice || undefined,
      });
    }
    case "poll": {
      // Layer 178 turned poll texts into TextWithEntities.
      const txt = (s: string) => env.layer >= 178 ? new A.TextWithEntities({ text: s, entities: [] }) : s;
      return new A.MessageMediaPoll({
        poll: new A.Poll({
          id: big(m.id),
          closed: m.closed || undefined,
          question: txt(m.question),
          answers: m.answers.map((a, i) => new A.PollAnswer({ text: txt(a.text), option: Buffer.from([i]) })),
        }),
        results: new A.PollResults({
          results: m.answers.map((a, i) =>
            new A.PollAnswerVoters({
              option: Buffer.from([i]),
              voters: a.voters,
              chosen: a.chosen || undefined,
            })
          ),
          totalVoters: m.totalVoters,
        }),
      });
    }
    case "geo":
      return new A.MessageMediaGeo({ geo: new A.GeoPoint({ long: m.long, lat: m.lat, accessHash: big(0) }) });
    case "contact":
      return new A.MessageMediaContact({
        phoneNumber: m.phone,
        firstName: m.firstName,
        lastName: m.lastName,
        vcard: "",
        userId: big(m.userId),
      });
    default:
      return new A.MessageMediaUnsupported();
  }
}

/** Desktop's discard_reason -> the PhoneCallDiscardReason constructor. */
const REASONS: Record<string, string> = {
  busy: "PhoneCallDiscardReasonBusy",
  disconnect: "PhoneCallDiscardReasonDisconnect",
  hangup: "PhoneCallDiscardReasonHangup",
  missed: "PhoneCallDiscardReasonMissed",
};

/** MessageAction for a service message (Telegram Desktop's action names); a photo gets a fresh reference. */
export function actionToTl(env: MediaEnv, a: WAction): Tl {
  const A = env.A;
  const users = (a.userIds ?? []).map(big);
  switch (a.type) {
    case "create_channel":
      return new A.MessageActionChannelCreate({ title: a.title ?? "" });
    case "create_group":
      return new A.MessageActionChatCreate({ title: a.title ?? "", users });
    case "edit_group_title":
      return new A.MessageActionChatEditTitle({ title: a.title ?? "" });
    case "edit_group_photo":
      if (a.photo) return new A.MessageActionChatEditPhoto({ photo: photoToTl(env, a.photo) });
      break;
    case "suggest_profile_photo":
      if (a.photo && A.MessageActionSuggestProfilePhoto) {
        return new A.MessageActionSuggestProfilePhoto({ photo: photoToTl(env, a.photo) });
      }
      break;
    case "pin_message":
      return new A.MessageActionPinMessage();
    case "invite_members":
      return new A.MessageActionChatAddUser({ users });
    case "remove_members":
      return new A.MessageActionChatDeleteUser({ userId: users[0] ?? big(0) });
    case "join_group_by_link":
      return new A.MessageActionChatJoinedByLink({ inviterId: big(a.inviterId ?? 0n) });
    case "migrate_to_supergroup":
      return new A.MessageActionChatMigrateTo({ channelId: big(a.channelId ?? 0n) });
    case "migrate_from_group":
      return new A.MessageActionChannelMigrateFrom({ title: a.title ?? "", chatId: big(a.chatId ?? 0n) });
    case "clear_history":
      return new A.MessageActionHistoryClear();
    case "delete_group_photo":
      return new A.MessageActionChatDeletePhoto();
    case "phone_call": {
      const reason = a.discardReason && REASONS[a.discardReason];
      return new A.MessageActionPhoneCall({
        callId: big(0),
        duration: a.duration,
        reason: reason ? new A[reason]() : undefined,
      });
    }
    case "joined_telegram":
      return new A.MessageActionContactSignUp();
    case "edit_chat_theme":
      return new A.MessageActionSetChatTheme({ emoticon: a.emoticon ?? "" });
    case "invite_to_group_call":
      return new A.MessageActionInviteToGroupCall({
        call: new A.InputGroupCall({ id: big(0), accessHash: big(0) }),
        users,
      });
    case "group_call":
      return new A.MessageActionGroupCall({
        // Desktop exports keep no call id
        call: new A.InputGroupCall({ id: big(0), accessHash: big(0) }),
        duration: a.duration,
      });
    case "set_messages_ttl":
      return new A.MessageActionSetMessagesTTL({ period: a.duration ?? 0 });
    case "take_screenshot":
      return new A.MessageActionScreenshotTaken();
    case "join_group_by_request":
      return new A.MessageActionChatJoinedByRequest();
    case "topic_created":
      if (A.MessageActionTopicCreate) {
        return new A.MessageActionTopicCreate({ title: a.title ?? "", iconColor: a.iconColor ?? 0x6fb9f0 });
      }
      break;
    case "topic_edit":
      // only the changed fields are set, as Telegram sends them
      if (A.MessageActionTopicEdit) {
        return new A.MessageActionTopicEdit({
          title: a.title,
          iconEmojiId: a.iconEmojiId !== undefined ? big(a.iconEmojiId) : undefined,
          closed: a.closed,
          hidden: a.hidden,
        });
      }
  }
  return new A.MessageActionCustomAction({ message: a.text ?? a.title ?? a.type });
}
