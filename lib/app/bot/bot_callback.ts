/**
 * A quality button press: answered at once; the request waiting under the keyboard's message is
 * claimed (only the first press gets it), recorded as a pending download and queued on the bot's
 * download job. A press on a keyboard already used, unknown or expired says so.
 */
import type { BotUpdate } from "../../core/bot_types.ts";
import type { BotContext, DownloadItem } from "./bot_context.ts";
import { maxFileSizeFor } from "./bot_policy.ts";
import { checkRequest } from "./check_request.ts";
import { parseQualityChoice, type QualityChoice } from "./quality_keyboard.ts";

type Callback = Extract<BotUpdate, { kind: "callback" }>;

/** The answer to a press whose request is gone. */
export const EXPIRED = "This request has expired";

/** Handles one button press (see module comment). */
export async function handleCallback(ctx: BotContext, c: Callback): Promise<void> {
  let choice: QualityChoice;
  try {
    choice = parseQualityChoice(c.data);
  } catch {
    return await ctx.api.answerCallback(c.query_id, EXPIRED);
  }
  const check = await checkRequest(ctx.store, c.from, { admin: ctx.admins.has(c.from.id), counts: false });
  if (check.admission.kind !== "serve") {
    // a banned user's notice, if any, goes as the toast: still one reply only
    return await ctx.api.answerCallback(c.query_id, "reply" in check.admission ? check.admission.reply : "");
  }
  const req = await ctx.store.requests.claim(c.chat_id, c.message_id);
  if (!req) return await ctx.api.answerCallback(c.query_id, EXPIRED);
  const label = choiceLabel(choice);
  await ctx.api.answerCallback(c.query_id, `Getting ${label}…`);
  const dl = await ctx.store.downloads.create({
    user_id: c.from.id,
    url: req.url,
    platform: req.platform,
    title: req.title,
    format: label,
  });
  const item: DownloadItem = {
    id: `dl:${c.chat_id}:${c.message_id}:${c.data}`,
    name: req.title,
    chat_id: c.chat_id,
    message_id: c.message_id,
    user_id: c.from.id,
    download_id: dl.id,
    url: req.url,
    platform: req.platform,
    title: req.title,
    source_url: req.source_url,
    choice,
    max_bytes: maxFileSizeFor(check.user, check.settings),
    premium: check.user.premium,
  };
  ctx.active.set(dl.id, { user_id: c.from.id, item, abort: new AbortController() });
  await ctx.api.editText(c.chat_id, c.message_id, `${req.title}\nQueued: ${label}`, { buttons: [] });
  ctx.queue.push(item);
}

/** "360p", "best quality" or "audio (mp3)". */
export function choiceLabel(choice: QualityChoice): string {
  if (choice.audio) return `audio (${choice.audio})`;
  return choice.quality === "best" ? "best quality" : choice.quality;
}
