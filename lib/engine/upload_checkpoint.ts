/**
 * What survives a kill -9 of an upload: the upload's file id with the parts Telegram confirmed
 * (a part bitmap), and the random_id chosen for its message (with the account sending it) before
 * it is sent. A resumed file
 * continues under the same file id while Telegram still holds its parts (their lifetime).
 */
import type { ProgressStore } from "../store/progress_store.ts";
import type { PartLedger } from "./file_source.ts";

/** Telegram keeps the parts of an unfinished upload for a while; past this we start over. */
export const PART_LIFETIME_MS = 60 * 60 * 1000;

/** A started upload as recorded. */
export interface UploadRecord {
  fileId: string;
  size: number;
  partSize: number;
  /** When the upload started (ms since the epoch): parts older than their lifetime are gone. */
  at: number;
}

/** The records of one item's upload in a job (see module comment). */
export class UploadCheckpoint {
  readonly #store: ProgressStore;
  readonly #jobId: string;
  readonly #key: string;
  readonly ledger: PartLedger;

  /** `key` names the item's file for this job (its path and size). */
  constructor(store: ProgressStore, jobId: string, key: string, ledger: PartLedger) {
    this.#store = store;
    this.#jobId = jobId;
    this.#key = key;
    this.ledger = ledger;
  }

  /** The file key of the part bitmap. */
  get key(): string {
    return this.#key;
  }

  /** The recorded upload and its saved parts when still usable (same size and part size, within the lifetime). */
  async resume(
    want: { size: number; partSize: number },
    now: number,
    lifetimeMs = PART_LIFETIME_MS,
  ): Promise<{ record: UploadRecord; done: Set<number> } | undefined> {
    const r = await this.#store.getCursor(this.#jobId, `upload:${this.#key}`) as UploadRecord | undefined;
    if (!r || r.size !== want.size || r.partSize !== want.partSize || now - r.at > lifetimeMs) {
      return undefined;
    }
    return { record: r, done: await this.ledger.load(this.#key) };
  }

  /** Records a fresh upload (and forgets the parts of an older one). */
  async start(record: UploadRecord): Promise<void> {
    await this.ledger.clear(this.#key);
    await this.#store.setCursor(this.#jobId, `upload:${this.#key}`, record);
  }
}

/** The random_id of an item's message and the account that sends it, recorded before the send. */
export interface SendRecord {
  randomId: string;
  /** The account's label: a retry must send through the same account (random_ids are per account). */
  account: string;
}

/** The send record of `item` in a job, if one was made. */
export async function loadSendRecord(
  store: ProgressStore,
  jobId: string,
  item: string,
): Promise<SendRecord | undefined> {
  const v = await store.getCursor(jobId, `send:${item}`) as SendRecord | undefined;
  return v && typeof v.randomId === "string" && typeof v.account === "string" ? v : undefined;
}

/** Records the send of `item` before the message goes out, so a retry can never post it twice. */
export async function saveSendRecord(
  store: ProgressStore,
  jobId: string,
  item: string,
  r: SendRecord,
): Promise<void> {
  await store.setCursor(jobId, `send:${item}`, r);
}

/** A random signed 64-bit id as a decimal string (file ids, random_ids). */
export function randomId64(): string {
  const b = crypto.getRandomValues(new BigInt64Array(1));
  // zero is what an unset id looks like
  return b[0] === 0n ? "1" : b[0].toString();
}
