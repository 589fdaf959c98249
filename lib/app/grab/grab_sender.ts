/**
 * What a grab step sees of `--to` (send_grabbed.ts implements it, loaded only with --to: a grab
 * without it loads no GramJS and needs no login).
 */
import type { GrabbedFile } from "../../grab/grab_link.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";

/** Where one link's files are sent from: the runner's job, the link, the step's events and signal. */
export interface SendStep {
  store: ProgressStore;
  jobId: string;
  /** The link's item id (its upload_progress and item_stage events). */
  item: string;
  url: string;
  emit: Emit;
  signal: AbortSignal;
}

/** The chat a grab run sends its files to. */
export interface GrabSender {
  /** The chat as given. */
  readonly to: string;
  /** Resolves the chat (NotFoundError, exit 2, when the account cannot see it). */
  check(): Promise<void>;
  /** Sends the files this job has not sent yet (each gets `sent`); how many went now. */
  send(files: GrabbedFile[], step: SendStep): Promise<number>;
  /** True when this job sent every one of `files` before (their copies may be gone: --delete-after). */
  sentBefore(files: GrabbedFile[], step: Pick<SendStep, "store" | "jobId">): Promise<boolean>;
  /** Disconnects the accounts, removes the thumbnails' folder. */
  close(): Promise<void>;
}
