/**
 * Service messages for fast_history.ts: a MessageService's action read from TL bytes into the
 * model's ServiceAction, as map_message.ts's _service maps GramJS's (same types, same keys in the
 * same order; an action _service does not know is "other" with GramJS's class name). Member names
 * come from the page's users, which follow the messages: they are filled in at the end of the page.
 */
import { Api } from "telegram";
import type { ServiceAction } from "../core/message.ts";
import { type DecodedMedia, readPhoto } from "./fast_history_media.ts";
import type { KeyedPeer } from "./fast_history_parts.ts";
import { type TlCursor, TlFields, TlUnsupported } from "./tl_cursor.ts";
import { needPlan, type TlPlan, tlSchema } from "./tl_schema.ts";

/** An action's fields as GramJS reads them (absent flag fields are null). */
interface _Action {
  className: string;
  title: string | null;
  users: string[];
  userId: string | null;
  photo: DecodedMedia | null;
  reason: string | null;
  duration: number | null;
  text: string | null;
  period: number | null;
  icon: string | null;
  closed: boolean | null;
  hidden: boolean | null;
}

/** Member lists and inviters to name once the page's users are read. */
export interface ServicePending {
  members: Array<{ list: string[]; ids: string[] }>;
  peers: KeyedPeer[];
}

// the fields _service reads, by name and type; an action's plan keeps those it has
const _FIELDS = [
  "title:string",
  "users:Vector<long>",
  "userId:long",
  "inviterId:long",
  "photo:Photo",
  "reason:PhoneCallDiscardReason",
  "duration:int",
  "emoticon:string",
  "message:string",
  "period:int",
  "iconEmojiId:long",
  "closed:Bool",
  "hidden:Bool",
];

const _REASONS: Record<string, string> = {
  PhoneCallDiscardReasonBusy: "busy",
  PhoneCallDiscardReasonDisconnect: "disconnect",
  PhoneCallDiscardReasonHangup: "hangup",
  PhoneCallDiscardReasonMissed: "missed",
};

let _plans: { message: TlPlan; actions: Map<number, TlPlan> } | undefined;

/** The MessageService plan and one plan per MessageAction constructor; throws when GramJS's schema moved. */
export function servicePlans(): { message: TlPlan; actions: Map<number, TlPlan> } {
  if (_plans) return _plans;
  const actions = new Map<number, TlPlan>();
  const type = Api.MessageActionEmpty.SUBCLASS_OF_ID;
  for (const cls of Object.values(Api)) {
    const k = cls as { CONSTRUCTOR_ID?: number; SUBCLASS_OF_ID?: number };
    if (k.SUBCLASS_OF_ID !== type || !k.CONSTRUCTOR_ID) continue;
    const ctor = tlSchema().get(k.CONSTRUCTOR_ID >>> 0);
    if (!ctor) throw new Error(`fast TL decoder: no ${k.CONSTRUCTOR_ID} in GramJS's schema`);
    // code = 1 + the index in _FIELDS of a field of that name and type; others are skipped
    const codes = new Uint8Array(
      ctor.args.map((a) => _FIELDS.indexOf(`${a.name}:${a.vector ? `Vector<${a.type}>` : a.type}`) + 1),
    );
    actions.set(ctor.id, { ctor, codes });
  }
  return _plans = {
    actions,
    message: needPlan(Api.MessageService, [
      "out:true",
      "id:int",
      "fromId:Peer",
      "peerId:Peer",
      "replyTo:MessageReplyHeader",
      "date:int",
      "action:MessageAction",
    ]),
  };
}

/** Reads a MessageAction. */
export function readAction(c: TlCursor): _Action {
  const id = c.uint();
  const plan = servicePlans().actions.get(id);
  if (!plan) throw new TlUnsupported(`action ${id.toString(16)}`);
  const a: _Action = {
    className: plan.ctor.className,
    title: null,
    users: [],
    userId: null,
    photo: null,
    reason: null,
    duration: null,
    text: null,
    period: null,
    icon: null,
    closed: null,
    hidden: null,
  };
  const f = new TlFields(c, plan);
  for (let code = f.next(); code !== 0; code = f.next()) {
    switch (_FIELDS[code - 1].split(":")[0]) {
      case "title":
        a.title = c.string();
        break;
      case "users":
        for (let n = c.vector(); n > 0; n--) a.users.push(c.longString());
        break;
      case "userId":
      case "inviterId":
        a.userId = c.longString();
        break;
      case "photo":
        a.photo = readPhoto(c);
        break;
      case "reason": {
        const r = c.uint();
        a.reason = c.ctor(r).className;
        c.skipFields(c.ctor(r), 0, 0, 0);
        break;
      }
      case "duration":
        a.duration = c.int();
        break;
      case "emoticon":
      case "message":
        a.text = c.string();
        break;
      case "period":
        a.period = c.int();
        break;
      case "iconEmojiId":
        a.icon = c.longString();
        break;
      case "closed":
        a.closed = c.bool();
        break;
      default:
        a.hidden = c.bool();
    }
  }
  return a;
}

/** The photo a service message carries as its media (a new chat photo, a suggested one). */
export function actionPhoto(a: _Action): DecodedMedia {
  return a.className === "MessageActionChatEditPhoto" || a.className === "MessageActionSuggestProfilePhoto"
    ? a.photo ?? {}
    : {};
}

/** map_message.ts's _service; `replyTo` is the message's reply_to.message_id (a pin's subject). */
export function serviceOf(
  a: _Action,
  actor: object | undefined,
  replyTo: number | undefined,
  p: ServicePending,
): ServiceAction {
  const s = (type: string, extra: Partial<ServiceAction> = {}): ServiceAction => ({
    type,
    ...(actor ? { actor } : {}),
    ...extra,
  });
  const members = (ids: string[]) => {
    const list = ids.slice();
    p.members.push({ list, ids });
    return list;
  };
  switch (a.className) {
    case "MessageActionChatCreate":
      return s("create_group", { title: a.title!, members: members(a.users) });
    case "MessageActionChannelCreate":
      return s("create_channel", { title: a.title! });
    case "MessageActionChatEditTitle":
      return s("edit_group_title", { title: a.title! });
    case "MessageActionChatEditPhoto":
      return s("edit_group_photo");
    case "MessageActionChatDeletePhoto":
      return s("delete_group_photo");
    case "MessageActionSuggestProfilePhoto":
      return s("suggest_profile_photo");
    case "MessageActionChatAddUser":
      return s("invite_members", { members: members(a.users) });
    case "MessageActionChatDeleteUser":
      return s("remove_members", { members: members([a.userId!]) });
    case "MessageActionChatJoinedByLink": {
      const id = Number(a.userId);
      const inviter = { ref: { id, kind: "user" as const }, key: `user:${a.userId}` };
      if (id) p.peers.push(inviter);
      return s("join_group_by_link", id ? { inviter: inviter.ref } : {});
    }
    case "MessageActionChatJoinedByRequest":
      return s("join_group_by_request");
    case "MessageActionChatMigrateTo":
      return s("migrate_to_supergroup");
    case "MessageActionChannelMigrateFrom":
      return s("migrate_from_group", { title: a.title! });
    case "MessageActionPinMessage":
      return s("pin_message", { message_id: replyTo });
    case "MessageActionHistoryClear":
      return s("clear_history");
    case "MessageActionPhoneCall": {
      const reason = a.reason ? _REASONS[a.reason] : undefined;
      return s("phone_call", {
        ...(a.duration ? { duration: a.duration } : {}),
        ...(reason ? { data: { discard_reason: reason } } : {}),
      });
    }
    case "MessageActionContactSignUp":
      return s("joined_telegram");
    case "MessageActionSetChatTheme":
      return s("edit_chat_theme", { data: { emoticon: a.text } });
    case "MessageActionInviteToGroupCall":
      return s("invite_to_group_call", { members: members(a.users) });
    case "MessageActionCustomAction":
      return s("custom_action", { text: a.text! });
    case "MessageActionGroupCall":
      return s("group_call", a.duration ? { duration: a.duration } : {});
    case "MessageActionTopicCreate":
      return s("topic_created", { title: a.title! });
    case "MessageActionTopicEdit": {
      const x: Partial<ServiceAction> = {};
      if (a.title) x.title = a.title;
      if (a.icon !== null) x.icon_emoji_id = a.icon;
      if (a.closed !== null) x.closed = a.closed;
      if (a.hidden !== null) x.hidden = a.hidden;
      return s("topic_edit", x);
    }
    case "MessageActionScreenshotTaken":
      return s("take_screenshot");
    case "MessageActionSetMessagesTTL":
      return s("set_messages_ttl", { duration: a.period! });
  }
  return s("other", { data: { action: a.className } });
}
