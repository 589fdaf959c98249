/**
 * Document attributes for fast_history_media.ts: file name, sticker, video, audio, image size and
 * animation flags set a document's kind and fields as map_media.ts's _document does.
 */
import { Api } from "telegram";
import type { Media } from "../core/message.ts";
import { type TlCursor, TlFields } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

let _plans: Map<number, TlPlan> | undefined;

/** The attribute constructors map_media.ts reads; throws when GramJS's schema moved. */
export function attributePlans(): Map<number, TlPlan> {
  if (_plans) return _plans;
  const m = new Map<number, TlPlan>();
  const add = (cls: { CONSTRUCTOR_ID: number }, f: string[]) =>
    m.set(cls.CONSTRUCTOR_ID >>> 0, needPlan(cls, f));
  add(Api.DocumentAttributeFilename, ["fileName:string"]);
  add(Api.DocumentAttributeAnimated, []);
  add(Api.DocumentAttributeSticker, ["alt:string"]);
  add(Api.DocumentAttributeVideo, ["roundMessage:true", "duration:double", "w:int", "h:int"]);
  add(Api.DocumentAttributeAudio, ["voice:true", "duration:int", "title:string", "performer:string"]);
  add(Api.DocumentAttributeImageSize, ["w:int", "h:int"]);
  return _plans = m;
}

/** Reads a document's Vector<DocumentAttribute> into its Media, as map_media.ts's _document. */
export function readAttributes(c: TlCursor, out: Media): void {
  const plans = attributePlans();
  let animated = false;
  for (let n = c.vector(); n > 0; n--) {
    const id = c.uint();
    const plan = plans.get(id);
    if (!plan) {
      c.skipFields(c.ctor(id), 0, 0, 0);
      continue;
    }
    const name = plan.ctor.className;
    const f = new TlFields(c, plan);
    let flag = false, w = 0, h = 0, dur = 0, s1: string | null = null, s2: string | null = null;
    for (let code = f.next(); code !== 0; code = f.next()) {
      if (name === "DocumentAttributeVideo") {
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
