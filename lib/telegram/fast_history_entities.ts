/**
 * Formatting entities for fast_history.ts: a Vector<MessageEntity> read straight into the model's
 * entities, as map_message.ts's _entity maps GramJS's (kinds it drops are dropped).
 */
import { Api } from "telegram";
import type { MessageEntity } from "../core/message.ts";
import { PLAIN_ENTITIES } from "./map_message.ts";
import { type TlCursor, TlFields } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

let _plans: Map<number, { plan: TlPlan; type: string }> | undefined;

/** The entity constructors map_message.ts maps, by id; throws when GramJS's schema moved. */
export function entityPlans(): Map<number, { plan: TlPlan; type: string }> {
  if (_plans) return _plans;
  const api = Api as unknown as Record<string, { CONSTRUCTOR_ID: number; className: string }>;
  const range = ["offset:int", "length:int"];
  const plans = new Map<number, { plan: TlPlan; type: string }>();
  for (const [cls, type] of Object.entries(PLAIN_ENTITIES)) {
    plans.set(api[cls].CONSTRUCTOR_ID >>> 0, { plan: needPlan(api[cls], range), type });
  }
  const special: Array<[string, string, string]> = [
    ["MessageEntityPre", "pre", "language:string"],
    ["MessageEntityTextUrl", "text_link", "url:string"],
    ["MessageEntityMentionName", "mention_name", "userId:long"],
    ["MessageEntityBlockquote", "blockquote", "collapsed:true"],
    ["MessageEntityCustomEmoji", "custom_emoji", "documentId:long"],
  ];
  for (const [cls, type, f] of special) {
    plans.set(api[cls].CONSTRUCTOR_ID >>> 0, { plan: needPlan(api[cls], [...range, f]), type });
  }
  return _plans = plans;
}

/** Reads a Vector<MessageEntity> into the model's entities. */
export function readEntities(c: TlCursor): MessageEntity[] {
  const plans = entityPlans();
  const out: MessageEntity[] = [];
  for (let n = c.vector(); n > 0; n--) {
    const id = c.uint();
    const e = plans.get(id);
    if (!e) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const f = new TlFields(c, e.plan);
    let offset = 0, length = 0, extra: string | number | boolean | null = null;
    for (let code = f.next(); code !== 0; code = f.next()) {
      if (code === 1) offset = c.int();
      else if (code === 2) length = c.int();
      else if (e.type === "mention_name") extra = c.longNumber();
      else if (e.type === "custom_emoji") extra = c.longString();
      else if (e.type === "blockquote") extra = true;
      else extra = c.string();
    }
    out.push(_entity(offset, length, e.type, extra));
  }
  return out;
}

// the keys in map_message.ts's order: the range, the type, then the kind's own field
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
