/**
 * A link: "Looking…" at once, then (in the task pool) yt-dlp's info, then the same message edited into the title,
 * uploader and duration with the quality keyboard; the request waits in the store, keyed by that
 * message, for the press. A link yt-dlp cannot read is answered and recorded as failed.
 */
import type { BotUpdate } from "../../core/bot_types.ts";
import { formatBytes } from "../../core/format.ts";
import { fetchInfo } from "../../grab/fetch_info.ts";
import { GrabError } from "../../grab/grab_error.ts";
import type { GrabInfo } from "../../grab/grab_info.ts";
import { detectPlatform, type Platform } from "../../grab/platforms.ts";
import type { BotContext } from "./bot_context.ts";
import { maxFileSizeFor } from "./bot_policy.ts";
import type { RequestCheck } from "./check_request.ts";
import { qualityKeyboard } from "./quality_keyboard.ts";

type Message = Extract<BotUpdate, { kind: "message" }>;

/**
 * Answers a link of an admitted user with "Looking…" and resolves to the slow rest (reading the
 * link, the keyboard), which the caller runs in the task pool (see module comment).
 */
export async function handleLink(
  ctx: BotContext,
  m: Message,
  url: string,
  check: RequestCheck,
): Promise<() => Promise<void>> {
  const platform = detectPlatform(url);
  const what = platform.id === "generic" ? "the link" : `the ${platform.name} link`;
  const msg = await ctx.api.sendText(m.chat_id, `Looking at ${what}…`, {
    reply_to: m.message_id,
  });
  return () => _describe(ctx, m, { url, platform, msg, check });
}

async function _describe(
  ctx: BotContext,
  m: Message,
  o: { url: string; platform: Platform; msg: number; check: RequestCheck },
): Promise<void> {
  const { url, platform, msg, check } = o;
  const fail = async (text: string, error: string, title?: string) => {
    const d = await ctx.store.downloads.create({ user_id: m.from.id, url, platform: platform.id, title });
    await ctx.store.downloads.update(d.id, { status: "failed", error });
    await ctx.api.editText(m.chat_id, msg, text);
  };
  let info: GrabInfo;
  try {
    info = await fetchInfo(ctx.ytDlp, url, { platform, ffmpegPath: ctx.ffmpegPath, signal: ctx.signal });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return await fail(linkFailureText(err), (err as Error).message);
  }
  const maxBytes = maxFileSizeFor(check.user, check.settings);
  const buttons = qualityKeyboard(info, { maxBytes });
  if (buttons.length === 0) {
    const text = `${info.title}\nEvery quality of this video is over your ${formatBytes(maxBytes)} limit.`;
    return await fail(text, `every quality is over ${maxBytes} bytes`, info.title);
  }
  await ctx.store.requests.put(m.chat_id, msg, {
    user_id: m.from.id,
    url,
    platform: platform.id,
    title: info.title,
    source_url: info.webpage_url ?? url,
  });
  await ctx.api.editText(m.chat_id, msg, infoText(info), { buttons });
}

/** The info message: title, uploader, duration, and what to do. */
export function infoText(info: GrabInfo): string {
  const lines = [info.title];
  if (info.uploader) lines.push(`by ${info.uploader}`);
  if (info.duration !== undefined) lines.push(`Duration: ${formatDuration(info.duration)}`);
  lines.push("", "Pick a quality:");
  return lines.join("\n");
}

/** m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hms[0] > 0 ? `${hms[0]}:${pad(hms[1])}:${pad(hms[2])}` : `${hms[1]}:${pad(hms[2])}`;
}

/** A clear reply for a link yt-dlp could not read or download. */
export function linkFailureText(err: unknown): string {
  if (!(err instanceof GrabError)) return `Something went wrong: ${(err as Error).message ?? err}`;
  switch (err.kind) {
    case "unsupported":
      return "This link is not supported: I found no video there.";
    case "unavailable":
      return "This video is private, removed or unavailable.";
    case "restricted":
      return "This video needs a login or is restricted (age or region), so I cannot get it.";
    case "network":
      return "I could not reach the site. Please try again later.";
    case "no_format":
      return "This video has no format I can download.";
    default:
      return `I could not get this video: ${err.message.split("\n")[0]}`;
  }
}
