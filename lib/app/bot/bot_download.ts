/**
 * The step of the bot's download job: one pressed button. yt-dlp downloads the choice into a
 * temp folder (the user's size limit enforced as bytes arrive), the file is sent back with the
 * upload engine, the history follows every state, the info message shows the progress (throttled
 * edits), and the temp folder goes whatever happens.
 */
import { formatBytes } from "../../core/format.ts";
import type { StepContext, StepOutcome } from "../../engine/job_types.ts";
import { GrabError } from "../../grab/grab_error.ts";
import { grabLink } from "../../grab/grab_link.ts";
import { detectPlatform } from "../../grab/platforms.ts";
import type { Emit } from "../../progress/events.ts";
import { botFileOf } from "./bot_file.ts";
import type { BotContext, DownloadItem } from "./bot_context.ts";
import { linkFailureText } from "./bot_link.ts";
import { POLICY_REPLIES } from "./bot_policy.ts";
import { ProgressEditor } from "./progress_editor.ts";

/** What the info message says when the bot stopped during a download. */
export const STOPPED_TEXT = "The bot was restarted during this download. Please send the link again.";

/** Runs one download request (see module comment); a failure is answered, recorded and thrown. */
export async function downloadStep(
  ctx: BotContext,
  item: DownloadItem,
  sctx: StepContext,
): Promise<StepOutcome> {
  const entry = ctx.active.get(item.download_id);
  if (!entry) return { skipped: true }; // cancelled while queued
  const signal = AbortSignal.any([sctx.signal, entry.abort.signal]);
  const editor = new ProgressEditor(
    (t) => ctx.api.editText(item.chat_id, item.message_id, `${item.title}\n${t}`, { buttons: [] }),
    { intervalMs: ctx.editIntervalMs },
  );
  const dir = await Deno.makeTempDir({ dir: ctx.tmpRoot, prefix: "dl-" });
  try {
    await ctx.store.downloads.update(item.download_id, { status: "processing" });
    editor.update("Downloading…");
    const [file] = await grabLink(ctx.ytDlp, item.url, {
      platform: detectPlatform(item.url),
      out: dir,
      tempDir: `${dir}/.part`,
      template: "file.%(ext)s",
      quality: item.choice.quality,
      audio: item.choice.audio,
      maxBytes: item.max_bytes,
      ffmpegPath: ctx.ffmpegPath,
    }, { item: item.id, emit: _progress(ctx.emit, item.id, editor), signal });
    if (file.bytes > item.max_bytes) {
      throw new GrabError("too big", {
        kind: "too_big",
        url: item.url,
        bytes: file.bytes,
        max_bytes: item.max_bytes,
      });
    }
    editor.update("Uploading…");
    const sendFile = await botFileOf(file, { ffprobe: ctx.ffprobe, ffmpeg: ctx.ffmpeg }, dir, signal);
    await ctx.api.sendFile(
      item.chat_id,
      { ...sendFile, caption: `${item.title}\n${item.source_url}` },
      signal,
    );
    await ctx.store.downloads.update(item.download_id, { status: "completed", size: file.bytes });
    await editor.finish(`Sent (${formatBytes(file.bytes)}).`);
    return { bytes: file.bytes, name: item.title };
  } catch (err) {
    const stopped = sctx.signal.aborted;
    const cancelled = !stopped && entry.abort.signal.aborted;
    const error = stopped ? "the bot stopped" : cancelled ? "cancelled by the user" : (err as Error).message;
    await ctx.store.downloads.update(item.download_id, { status: "failed", error });
    await editor.finish(stopped ? STOPPED_TEXT : cancelled ? "Cancelled." : _failureText(err, item));
    throw err;
  } finally {
    ctx.active.delete(item.download_id);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function _failureText(err: unknown, item: DownloadItem): string {
  if (err instanceof GrabError && err.kind === "too_big") {
    const size = (err.data?.bytes as number | undefined) ?? item.max_bytes + 1;
    return POLICY_REPLIES.tooBig(size, item.max_bytes, item.premium);
  }
  return linkFailureText(err);
}

// yt-dlp's progress of this item becomes the message's percentage; every event goes on as well
function _progress(emit: Emit, item: string, editor: ProgressEditor): Emit {
  return (e) => {
    if (e.type === "item_progress" && e.item === item && e.total_bytes) {
      editor.update(`Downloading… ${Math.min(100, Math.floor(e.done_bytes / e.total_bytes * 100))}%`);
    } else if (e.type === "item_stage" && e.item === item && e.stage !== "info" && e.stage !== "download") {
      editor.update("Processing…");
    }
    emit(e);
  };
}
