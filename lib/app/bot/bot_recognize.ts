/**
 * Voice notes, video notes and audio files: downloaded from Telegram, matched against the music
 * library (--music-library) and answered with the title and artist or "no match"; every attempt
 * is logged in the recognition log. Without a library the reply says recognition is not set up.
 */
import { join } from "node:path";
import type { BotMedia, BotUpdate } from "../../core/bot_types.ts";
import type { BotContext } from "./bot_context.ts";

type Message = Extract<BotUpdate, { kind: "message" }>;

/** Replies of recognition. */
export const RECOGNITION_REPLIES = {
  notSetUp: "Music recognition is not set up on this bot (it runs without a music library).",
  noMatch: "No match: I do not know this music.",
  tooShort: "No match: too little music to tell. Try a longer recording.",
  failed: (why: string) => `I could not listen to this file: ${why}`,
};

/** Whether a message's file is one recognition takes. */
export function isRecognisable(media: BotMedia): boolean {
  if (media.kind === "voice" || media.kind === "audio" || media.kind === "video_note") return true;
  return media.kind === "document" && /^audio\//.test(media.mime_type ?? "");
}

/** Recognises the music of `m` (an admitted user's voice/video note or audio file) and answers. */
export async function handleRecognition(ctx: BotContext, m: Message, media: BotMedia): Promise<void> {
  const reply = (text: string) => ctx.api.sendText(m.chat_id, text, { reply_to: m.message_id });
  const log = { user_id: m.from.id, kind: media.kind };
  if (!ctx.matcher) {
    await ctx.store.recognitions.log({ ...log, error: "no music library" });
    return void await reply(RECOGNITION_REPLIES.notSetUp);
  }
  const dir = await Deno.makeTempDir({ dir: ctx.tmpRoot, prefix: "rec-" });
  try {
    const path = join(dir, `media${_ext(media)}`);
    await ctx.api.downloadMedia(media, path, ctx.signal);
    const r = await ctx.matcher.match(path, ctx.signal);
    if (r.matched) {
      await ctx.store.recognitions.log({ ...log, title: r.title, artist: r.artist });
      return void await reply(`🎵 ${r.title}${r.artist ? ` — ${r.artist}` : ""}`);
    }
    await ctx.store.recognitions.log(log);
    await reply(r.reason === "too_short" ? RECOGNITION_REPLIES.tooShort : RECOGNITION_REPLIES.noMatch);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    const why = (err as Error).message?.split("\n")[0] ?? String(err);
    await ctx.store.recognitions.log({ ...log, error: why });
    await reply(RECOGNITION_REPLIES.failed(why));
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function _ext(media: BotMedia): string {
  const fromName = /\.[A-Za-z0-9]{1,5}$/.exec(media.file_name ?? "")?.[0];
  if (fromName) return fromName;
  if (media.kind === "voice") return ".ogg";
  if (media.kind === "video_note") return ".mp4";
  return ".bin";
}
