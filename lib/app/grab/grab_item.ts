/**
 * One link of `tgpipe grab`: already grabbed (by the output folder's index) or downloaded with
 * yt-dlp into --out through a per-link temp folder, then the media tasks (probe, thumbnails,
 * transcripts), then recorded in the index, then with `--to` sent to the chat (send_grabbed.ts).
 */
import { createHash } from "node:crypto";
import { join, relative, resolve } from "node:path";
import type { Media } from "../../core/message.ts";
import type { StepOutcome } from "../../engine/job_types.ts";
import { GrabError } from "../../grab/grab_error.ts";
import { type GrabbedFile, grabLink } from "../../grab/grab_link.ts";
import type { AudioFormat } from "../../grab/select_format.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { ResolvedTool } from "../../tools/tool_types.ts";
import type { MediaPost } from "../shared/media_post.ts";
import type { GrabItem } from "./grab_plan.ts";
import type { GrabSender } from "./grab_sender.ts";

/** Where unfinished downloads wait inside --out (a rerun continues their .part files). */
export const GRAB_TMP = ".tgpipe/grab-tmp";

/** What grabbing one link needs from its run. */
export interface GrabItemContext {
  out: string;
  ytDlp: ResolvedTool;
  ffmpegPath?: string;
  quality?: string;
  audio?: AudioFormat;
  maxBytes?: number;
  template?: string;
  cookies?: string;
  store: ProgressStore;
  /** The runner's job (--to records its sends in it). */
  jobId: string;
  media: MediaPost;
  /** With --to: where the files go. */
  send?: GrabSender;
  /** Every file of the run, in the order they finished (the result lists them). */
  files: GrabbedFile[];
  emit: Emit;
  signal: AbortSignal;
}

/** Grabs one link (see module comment); throws its GrabError for the runner to report. */
export async function grabItem(item: GrabItem, c: GrabItemContext): Promise<StepOutcome> {
  const key = _indexKey(item, c);
  const known = await _known(c, key);
  if (known) {
    // a rerun with --transcribe or --thumbnails still gets them for files already there
    await _post(c, known, item.id);
    const sent = await _send(item, c, known);
    c.files.push(...known);
    return _outcome(c, known, sent === 0);
  }
  // --to --delete-after: files sent before are gone, and need not come back
  const listed = c.send ? await _listed(c, key) : undefined;
  if (listed && await c.send!.sentBefore(listed, { store: c.store, jobId: c.jobId })) {
    await _send(item, c, listed);
    c.files.push(...listed);
    return _outcome(c, listed, true);
  }
  const files = await _download(item, c, key);
  await _post(c, files, item.id);
  // recorded before the send: a send that fails is retried by the rerun without a new download
  await c.store.setCursor(_indexJob(c), key, files);
  await _send(item, c, files);
  c.files.push(...files);
  return _outcome(c, files, false);
}

/** yt-dlp into --out through the link's temp folder (kept for the rerun when stopped or cut off). */
async function _download(item: GrabItem, c: GrabItemContext, key: string): Promise<GrabbedFile[]> {
  // absolute: yt-dlp reads a relative temp path against the output folder, not the cwd
  const tempDir = join(resolve(c.out), GRAB_TMP, createHash("sha256").update(key).digest("hex").slice(0, 16));
  c.emit({ type: "item_stage", item: item.id, stage: "info", detail: item.platform.name });
  let files: GrabbedFile[];
  try {
    files = await grabLink(c.ytDlp, item.url, {
      platform: item.platform,
      out: resolve(c.out),
      tempDir,
      template: c.template,
      quality: c.quality,
      audio: c.audio,
      maxBytes: c.maxBytes,
      cookies: c.cookies,
      ffmpegPath: c.ffmpegPath,
    }, { item: item.id, emit: c.emit, signal: c.signal });
  } catch (err) {
    // a stop or a dropped connection keeps the .part files for the rerun to continue
    const keep = c.signal.aborted || (err instanceof GrabError && err.kind === "network");
    if (!keep) await Deno.remove(tempDir, { recursive: true }).catch(() => {});
    throw err;
  }
  await Deno.remove(tempDir, { recursive: true }).catch(() => {});
  return files;
}

/** With --to: the files go to the chat (those this job sent before are not sent again). */
async function _send(item: GrabItem, c: GrabItemContext, files: GrabbedFile[]): Promise<number> {
  if (!c.send) return 0;
  const step = {
    store: c.store,
    jobId: c.jobId,
    item: item.id,
    url: item.url,
    emit: c.emit,
    signal: c.signal,
  };
  return await c.send.send(files, step);
}

function _outcome(c: GrabItemContext, files: GrabbedFile[], skipped: boolean): StepOutcome {
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const name = relative(resolve(c.out), files[0].path);
  return { bytes, path: files[0].path, name, ...(skipped ? { skipped } : {}) };
}

/** Probe (always), then thumbnails, transcode, transcripts as the media flags ask; failures are warnings. */
async function _post(c: GrabItemContext, files: GrabbedFile[], item: string): Promise<void> {
  for (const f of files) {
    c.emit({ type: "item_stage", item, stage: "post", detail: "media tasks" });
    const media: Media = { kind: f.kind, size: f.bytes, title: f.title };
    await c.media.processFile(f.path, { media, item, signal: c.signal });
    if (media.probe) f.probe = media.probe;
    if (media.derived) f.derived = media.derived;
    if (media.transcript !== undefined) f.transcript = media.transcript;
  }
}

/** The files an earlier run grabbed for the same link and choices, when they are all still there. */
async function _known(c: GrabItemContext, key: string): Promise<GrabbedFile[] | undefined> {
  const files = await _listed(c, key);
  for (const f of files ?? []) {
    const size = await Deno.stat(f.path).then((s) => s.size, () => -1);
    if (size !== f.bytes) return undefined;
  }
  return files;
}

/** The files the output folder's index lists for the link and choices (they may be gone since). */
async function _listed(c: GrabItemContext, key: string): Promise<GrabbedFile[] | undefined> {
  const files = await c.store.getCursor(_indexJob(c), key) as GrabbedFile[] | undefined;
  return Array.isArray(files) && files.length > 0 ? files : undefined;
}

// The same link with another --quality, --audio or --template is another file.
function _indexKey(item: GrabItem, c: GrabItemContext): string {
  return JSON.stringify([item.url, c.quality ?? "best", c.audio ?? null, c.template ?? null]);
}

function _indexJob(c: GrabItemContext): string {
  return `grab-index:${resolve(c.out)}`;
}
