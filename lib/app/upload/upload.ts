/**
 * `tgpipe upload`: resolves the inputs (files, folders), then sends each file on the job runner:
 * several files at once, each in parallel parts over its account's connections, resumable
 * through the progress store, never posted twice. Ends with the diagnostics report (also the
 * --report file).
 */
import { TRANSIENT_RETRIES } from "../../engine/is_transient.ts";
import { runJob } from "../../engine/job_runner.ts";
import type { JobSpec } from "../../engine/job_types.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import type { AccountPool } from "../../engine/account_pool.ts";
import { HeapTrimmer } from "../../core/heap_trim.ts";
import type { Emit } from "../../progress/events.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { checkCaption } from "./caption.ts";
import { findMediaTools, type MediaTools } from "./media_attributes.ts";
import { type InputOptions, resolveInputs, type UploadInput } from "./upload_inputs.ts";
import { uploadMembers } from "./upload_split.ts";
import { progressInto } from "./progress_into.ts";
import { sendTarget } from "./send_target.ts";
import { planItems, type PlannedUpload } from "./plan_items.ts";
import { isRetryableUpload } from "./error_category.ts";
import { UploadDiagnostics, type UploadReport } from "./upload_report.ts";
import { writeReport } from "./write_report.ts";

/** Options of {@link upload}; lib/cli fills every field from flags and settings. */
export interface UploadOptions extends InputOptions {
  inputs: string[];
  /** The chat to send to (@name, link, id); default "me" (Saved Messages). */
  to?: string;
  kv: string;
  createKvParent?: boolean;
  accounts: TelegramAccess[];
  caption?: string;
  as?: "auto" | "document" | "media";
  /** Group files into albums of up to 10 (photos with videos, audio, documents). */
  album?: boolean;
  deleteAfter?: boolean;
  /** Split a local file over the account's limit (docs/upload.md "Split files") instead of failing it. */
  split?: boolean;
  /** Files at once; default 4. */
  concurrency?: number;
  /** Parts in flight per file; default 4 for small files, 16 above 10 MB. */
  partConcurrency?: number;
  /** Connections per account. Default 8. */
  connections?: number;
  stallMs?: number;
  maxRuntimeMs?: number;
  /** Also write the report here (JSON). */
  reportFile?: string;
  tools: { ffmpeg?: string; ffprobe?: string; searchPath: string; cacheDir: string };
  emit?: Emit;
  signal?: AbortSignal;
}

/** Runs an upload; failed files are reported and counted, not thrown. StoppedError (exit 75) when stopped. */
export async function upload(opts: UploadOptions): Promise<UploadReport> {
  const sink: Emit = opts.emit ?? (() => {});
  // as download: a full collection every 64 MB sent keeps the heap near the parts in flight
  const trim = new HeapTrimmer(64 << 20);
  const emit: Emit = (e) => {
    if (e.type === "item_progress") trim.progress(e.item, e.done_bytes);
    else if (e.type === "item_done" || e.type === "item_failed") trim.done(e.item);
    sink(e);
  };
  if (opts.caption !== undefined) checkCaption(opts.caption);
  // bad inputs are refused (exit 2) before anything connects
  const inputs = await resolveInputs(opts.inputs, opts);
  const store = await openProgressStore(opts.kv, {
    createParent: opts.createKvParent ?? false,
    signal: opts.signal,
  });
  let pool: AccountPool<TelegramAccount> | undefined;
  const tmpDir = await Deno.makeTempDir({ prefix: "tgpipe_upload_" });
  try {
    pool = await openAccountPool(opts.accounts.map(accountSpec), {
      connections: opts.connections ?? 8,
      stallMs: opts.stallMs ?? 30_000,
      emit,
      signal: opts.signal,
    });
    const diag = new UploadDiagnostics();
    const tally = { sent_bytes: 0 };
    const tools = opts.as === "document" ? {} : await findMediaTools(opts.tools, opts.signal);
    const spec = _spec(opts, { inputs, pool, store, diag, tally, tools, tmpDir, emit });
    const job = await runJob(spec, {
      store,
      concurrency: opts.concurrency ?? 4,
      ...TRANSIENT_RETRIES,
      isRetryable: isRetryableUpload,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit,
      signal: opts.signal,
    });
    diag.skipped(
      inputs.map((i) => ({ id: i.id, name: i.source.name, bytes: i.source.size, source: i.source.origin })),
    );
    const report = diag.report(job, opts.to ?? "me", tally.sent_bytes);
    if (opts.reportFile) await writeReport(opts.reportFile, report);
    return report;
  } finally {
    await pool?.close();
    store.close();
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  }
}

function _spec(
  opts: UploadOptions,
  c: {
    inputs: UploadInput[];
    pool: AccountPool<TelegramAccount>;
    store: ProgressStore;
    diag: UploadDiagnostics;
    tally: { sent_bytes: number };
    tools: MediaTools;
    tmpDir: string;
    emit: Emit;
  },
): JobSpec<PlannedUpload> {
  const to = opts.to ?? "me";
  const target = sendTarget(c.pool, to, { signal: opts.signal });
  let ledger: KvPartLedger | undefined;
  return {
    command: "upload",
    key: JSON.stringify({
      inputs: c.inputs.map((i) => i.id),
      to,
      as: opts.as ?? "auto",
      caption: opts.caption,
    }),
    args: `${opts.inputs.join(" ")} -> ${to}`,
    plan: async (pc) => {
      await target.prepare(c.emit); // an unknown chat is refused (exit 2) before any upload
      if (pc.resumed && c.inputs.some((i) => i.id.startsWith("stdin:"))) {
        c.emit({
          type: "warning",
          code: "STDIN_NOT_RESUMABLE",
          message: "This run continues an earlier one, but stdin cannot be resumed: if the earlier run " +
            "sent it, it is skipped (another --name sends new input), else this run's input goes from its start",
        });
      }
      return planItems(c.inputs, { album: opts.album });
    },
    step: (item, ctx) => {
      const ic = {
        accounts: target.nextAccounts(),
        peerOf: target.peerOf,
        as: opts.as ?? "auto",
        caption: opts.caption,
        count: c.inputs.length,
        deleteAfter: opts.deleteAfter,
        split: opts.split,
        partConcurrency: opts.partConcurrency,
        stallMs: opts.stallMs,
        tools: c.tools,
        tmpDir: c.tmpDir,
        store: c.store,
        jobId: ctx.jobId,
        ledger: ledger ??= new KvPartLedger(c.store, ctx.jobId),
        inFlight: target.inFlight,
        diag: c.diag,
        tally: c.tally,
        // an album's files (and a split file's pieces) report progress as the runner's item
        emit: progressInto(
          item.id,
          (id) => item.members.some((m) => id.startsWith(m.id)),
          item.bytes,
          c.emit,
        ),
        signal: ctx.signal,
        attempt: ctx.attempt,
      };
      return uploadMembers(item.members, ic, opts.album === true);
    },
  };
}
