/**
 * `tgpipe download`: plans the files (links, ranges, chats with filters), then downloads them with
 * the engine: several files at once, each in parallel parts over a pool of connections per DC (or
 * over fetch workers), resumable through the KV progress store, verified, renamed into place.
 */
import { HeapTrimmer } from "../../core/heap_trim.ts";
import { checkTemplate, DEFAULT_TEMPLATE } from "../../core/name_template.ts";
import { KvPartLedger } from "../../engine/kv_part_ledger.ts";
import { Limiter } from "../../engine/limiter.ts";
import { runJob } from "../../engine/job_runner.ts";
import { TRANSIENT_RETRIES } from "../../engine/is_transient.ts";
import type { JobItem, JobReport, JobSpec } from "../../engine/job_types.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { Emit } from "../../progress/events.ts";
import {
  type DownloadFilter,
  type DownloadInput,
  listedInputs,
  parseInputs,
  planItems,
  type PlannedItem,
} from "./download_plan.ts";
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import { openAccountPool, type TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import { downloadItem } from "./download_item.ts";
import type { MessageRef } from "./from_file.ts";
import { UsageError } from "../../core/errors.ts";
import { assignDestinations } from "./assign_destinations.ts";
import { SplitGroups } from "./split_groups.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { openOutputStore } from "../shared/open_output_store.ts";
import { type MediaPost, type MediaPostSettings, openMediaPost } from "../shared/media_post.ts";

/** Options of {@link download}; lib/cli fills every field from flags and settings. */
export interface DownloadOptions {
  inputs: string[];
  /** Messages a --from-file lists (messages.jsonl, tdl export), filtered like a chat's files. */
  fromFile?: { name: string; messages: MessageRef[] };
  /** Newest files first (by message date); default: in the order given. */
  desc?: boolean;
  out: string;
  kv: string;
  /** Create the progress store's missing folder (only for the default location: a typo never does). */
  createKvParent?: boolean;
  /** Accounts to share the work; the first one also lists messages. */
  accounts: TelegramAccess[];
  template?: string;
  filter?: DownloadFilter;
  skipSame?: boolean;
  /** Files at once; default 8 (their parts in flight are bounded together, 48 per account). */
  concurrency?: number;
  /** Parts in flight per file; default by file size (4 below 10 MB, 8 below 64 MB, else 16). */
  partConcurrency?: number;
  /** Fetch workers (each with its own connections); 0 = fetch on the main thread. Default 0. */
  workers?: number;
  /** The fetch worker's module; default workers/fetch_worker.ts (tests give one that cannot start). */
  fetchWorkerUrl?: URL;
  /** Connections per DC per account (or per worker). Default 8. */
  connections?: number;
  /** Verify with upload.getFileHashes. Default true. */
  verify?: boolean;
  /** A part with no answer after this long is cancelled and retried. Default 30000 ms. */
  stallMs?: number;
  /** --transcribe (and its whisper flags): each file is transcribed once it is in place. */
  media?: MediaPostSettings;
  /** A file that could not be transcribed counts as failed (`transcribe <chat>`: that is the point). */
  requireTranscript?: boolean;
  /** Stop starting files after this long (ms); the run exits 75 and the same command resumes. */
  maxRuntimeMs?: number;
  emit?: Emit;
  signal?: AbortSignal;
}

/** What a download run did: the runner's report plus the bytes fetched from Telegram in this run. */
export interface DownloadReport extends JobReport {
  fetched_bytes: number;
}

// parts in flight per account, over all files (measured: 32 left connections idle, 48 and 64 alike)
const PARTS_IN_FLIGHT = 48;
// ... of which the first ones (two per connection), one more per part that arrives: 48 at once made
// the fake DC make all their bytes before it answered any, while tgpipe waited (bench download --small)
const FIRST_PARTS = 16;

/**
 * Runs a download on the job runner; items that failed are reported (item_failed) and counted,
 * not thrown. Rejects with StoppedError (exit 75) on Ctrl-C or when --max-runtime ends.
 */
export async function download(opts: DownloadOptions): Promise<DownloadReport> {
  const sink: Emit = opts.emit ?? (() => {});
  const trim = new HeapTrimmer(128 << 20);
  const emit: Emit = (e) => {
    if (e.type === "item_progress") trim.progress(e.item, e.done_bytes);
    else if (e.type === "item_done" || e.type === "item_failed") trim.done(e.item);
    sink(e);
  };
  const inputs = _inputs(opts);
  const template = opts.template ?? DEFAULT_TEMPLATE;
  checkTemplate(template);
  const output = await openOutputStore(opts.out, opts);
  const store = output.store;
  let pool: AccountPool<TelegramAccount> | undefined;
  let media: MediaPost | undefined;
  try {
    pool = await openAccountPool(opts.accounts.map(accountSpec), {
      workers: opts.workers ?? 0,
      fetchWorkerUrl: opts.fetchWorkerUrl,
      connections: opts.connections ?? 8,
      verify: opts.verify ?? true,
      stallMs: opts.stallMs ?? 30_000,
      emit,
      signal: opts.signal,
    });
    if (opts.media) media = await openMediaPost({ ...opts.media, out: opts.out, emit, signal: opts.signal });
    const tally = { fetched_bytes: 0 };
    const report = await runJob(_spec(opts, { inputs, template, pool, store, media, tally, emit }), {
      store,
      // files at once (their parts in flight are bounded together, PARTS_IN_FLIGHT per account)
      concurrency: opts.concurrency ?? 8,
      // a rerun checks each file again (cheaply, by the index): one deleted meanwhile comes back
      skipDone: false,
      // a file that ran out of part retries goes back to the queue while the others proceed
      ...TRANSIENT_RETRIES,
      maxRuntimeMs: opts.maxRuntimeMs,
      emit,
      signal: opts.signal,
    });
    await media?.close();
    return { ...report, fetched_bytes: tally.fetched_bytes };
  } catch (err) {
    await output.failed(err);
    throw err;
  } finally {
    media?.pool.terminate();
    await pool?.close();
    store.close();
  }
}

function _inputs(opts: DownloadOptions): DownloadInput[] {
  const listed = listedInputs(opts.fromFile?.messages ?? []);
  if (opts.fromFile && listed.length === 0 && opts.inputs.length === 0) {
    throw new UsageError(
      `Nothing to download: --from-file ${opts.fromFile.name} lists no message with media`,
    );
  }
  return [...(opts.inputs.length > 0 || listed.length === 0 ? parseInputs(opts.inputs) : []), ...listed];
}

/** Newest first by message date, then id; requested messages without a file stay in front. */
function _newestFirst(planned: PlannedItem[]): PlannedItem[] {
  const key = (p: PlannedItem) => "file" in p ? [p.file.date, p.file.messageId] : [Infinity, Infinity];
  return planned.toSorted((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return kb[0] - ka[0] || kb[1] - ka[1];
  });
}

type _Item = PlannedItem & JobItem & { dest?: string | RangeError };

/** The download job: plan the files (with their destinations), then one file per step. */
function _spec(
  opts: DownloadOptions,
  c: {
    inputs: DownloadInput[];
    template: string;
    pool: AccountPool<TelegramAccount>;
    store: ProgressStore;
    media?: MediaPost;
    tally: { fetched_bytes: number };
    emit: Emit;
  },
): JobSpec<_Item> {
  const accounts = c.pool.accounts;
  // the parts in flight over all files: a file-count limit alone left the connections half used
  // once a big file was done (36 vs 57 MB/s with 4 small files at a time)
  const inFlight = new Limiter(PARTS_IN_FLIGHT * accounts.length, { start: FIRST_PARTS * accounts.length });
  let next = 0;
  let ledger: KvPartLedger | undefined;
  // the pieces and manifest of split files: put back together once all of them are here
  let splits = new SplitGroups([]);
  return {
    command: "download",
    key: JSON.stringify({
      inputs: opts.inputs,
      // which messages, not which file named them: a re-export to another path is the same job
      ...(opts.fromFile ? { listed: opts.fromFile.messages.map((m) => `${m.chat}/${m.messageId}`) } : {}),
      out: opts.out,
      template: c.template,
      filter: opts.filter ?? {},
    }),
    args: `${
      [...opts.inputs, ...opts.fromFile ? [`--from-file ${opts.fromFile.name}`] : []].join(" ")
    } -> ${opts.out}`,
    plan: async ({ signal }) => {
      const listed = await planItems(accounts[0].client, c.inputs, { filter: opts.filter ?? {}, signal });
      const planned = opts.desc ? _newestFirst(listed) : listed;
      const dests = assignDestinations(planned.filter((p) => "file" in p), {
        out: opts.out,
        template: c.template,
      });
      const items = planned.map((p) => {
        const dest = dests.get(p.item);
        // bars and lines name a file by its path under --out, as item_done does
        const name = typeof dest === "string" ? dest.slice(opts.out.length).replace(/^[/\\]/, "") : undefined;
        return { ...p, id: p.item, name, bytes: "file" in p ? p.file.size : undefined, dest };
      });
      splits = new SplitGroups(items.filter((p) => "file" in p));
      return items;
    },
    step: (p, ctx) => {
      const one = () =>
        downloadItem(p, {
          out: opts.out,
          skipSame: opts.skipSame,
          partConcurrency: opts.partConcurrency,
          stallMs: opts.stallMs,
          signal: ctx.signal,
          store: c.store,
          jobId: ctx.jobId,
          ledger: ledger ??= new KvPartLedger(c.store, ctx.jobId),
          accounts: ownFirst(accounts, next++),
          tally: c.tally,
          emit: c.emit,
          media: c.media,
          requireTranscript: opts.requireTranscript,
          inFlight,
        });
      if (!("file" in p)) return one();
      return splits.step(p, { out: opts.out, store: c.store, emit: c.emit, signal: ctx.signal }, one);
    },
  };
}
