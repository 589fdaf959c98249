import { NotFoundError } from "../../core/errors.ts";
import { BOT_KEYS, timeId } from "./bot_keys.ts";
import { type BotDb, casUpdate, getValues } from "./bot_db.ts";
import type { DownloadRecord, DownloadStatus } from "../../core/bot_records.ts";

/** A new download request. */
export interface NewDownload {
  user_id: string;
  url: string;
  platform: string;
  title?: string;
  format?: string;
}

/** What a state change may set. */
export interface DownloadPatch {
  status?: DownloadStatus;
  title?: string;
  format?: string;
  size?: number;
  error?: string;
}

/** Filters of the history views; newest first. */
export interface DownloadQuery {
  user_id?: string;
  status?: DownloadStatus;
  platform?: string;
  /** Only downloads created at or after this time (ms). */
  since?: number;
  /** Only downloads created before this time (ms). */
  until?: number;
  limit?: number;
}

/** Download history with indexes by user, status and platform (the main key orders by time). */
export class DownloadRepo {
  #db: BotDb;
  constructor(db: BotDb) {
    this.#db = db;
  }

  /** Records a request as pending and returns it. */
  async create(input: NewDownload): Promise<DownloadRecord> {
    const now = this.#db.now();
    const rec: DownloadRecord = {
      ...input,
      id: timeId(now),
      status: "pending",
      created_at: now,
      updated_at: now,
      times: { pending: now },
    };
    await this.#db.run(() =>
      this.#db.kv.atomic()
        .check({ key: BOT_KEYS.download(rec.id), versionstamp: null })
        .set(BOT_KEYS.download(rec.id), rec)
        .set(BOT_KEYS.dlByUser(rec.user_id, rec.id), null)
        .set(BOT_KEYS.dlByStatus(rec.status, rec.id), null)
        .set(BOT_KEYS.dlByPlatform(rec.platform, rec.id), null)
        .commit()
    );
    return rec;
  }

  /**
   * Applies a state change (moving the status index with it; reaching `completed` adds one to the
   * user's download count in the same commit) and returns the new record.
   */
  async update(id: string, patch: DownloadPatch): Promise<DownloadRecord> {
    const now = this.#db.now();
    const r = await casUpdate<DownloadRecord, DownloadRecord>(this.#db, BOT_KEYS.download(id), (old) => {
      if (!old) return undefined;
      const value: DownloadRecord = { ...old, ...patch, updated_at: now };
      if (patch.status && patch.status !== old.status) value.times = { ...old.times, [patch.status]: now };
      const extra = (op: Deno.AtomicOperation) => {
        if (value.status === old.status) return;
        op.delete(BOT_KEYS.dlByStatus(old.status, id)).set(BOT_KEYS.dlByStatus(value.status, id), null);
        // Counted in the commit that completes it, so a retried update never counts twice.
        if (value.status === "completed") op.sum(BOT_KEYS.downloadCount(old.user_id), 1n);
      };
      return { value, result: value, extra };
    });
    if (!r) throw new NotFoundError(`No download with id ${id}`, "download");
    return r;
  }

  /** How many downloads are in each status (counted over the status index's keys). */
  async countByStatus(): Promise<Record<DownloadStatus, number>> {
    const out: Record<DownloadStatus, number> = { pending: 0, processing: 0, completed: 0, failed: 0 };
    for (const status of Object.keys(out) as DownloadStatus[]) {
      const it = this.#db.kv.list({ prefix: BOT_KEYS.dlByStatus(status) });
      for await (const _ of it) out[status]++;
    }
    return out;
  }

  /** The download with this id, or undefined. */
  async get(id: string): Promise<DownloadRecord | undefined> {
    return (await this.#db.run(() => this.#db.kv.get<DownloadRecord>(BOT_KEYS.download(id)))).value ??
      undefined;
  }

  /** History newest first, through the index of the first filter given; the others filter the records. */
  async list(q: DownloadQuery = {}): Promise<DownloadRecord[]> {
    const limit = q.limit ?? 100;
    const keep = (d: DownloadRecord) =>
      (!q.user_id || d.user_id === q.user_id) && (!q.status || d.status === q.status) &&
      (!q.platform || d.platform === q.platform);
    const index = q.user_id
      ? BOT_KEYS.dlByUser(q.user_id)
      : q.status
      ? BOT_KEYS.dlByStatus(q.status)
      : q.platform
      ? BOT_KEYS.dlByPlatform(q.platform)
      : undefined;
    const out: DownloadRecord[] = [];
    if (!index) {
      const it = this.#db.kv.list<DownloadRecord>(_range(BOT_KEYS.downloads, q), { reverse: true });
      for await (const e of it) {
        if (keep(e.value)) out.push(e.value);
        if (out.length >= limit) break;
      }
      return out;
    }
    let ids: string[] = [];
    const flush = async () => {
      const recs = await getValues<DownloadRecord>(this.#db, ids.map((id) => BOT_KEYS.download(id)));
      for (const d of recs) if (d && keep(d) && out.length < limit) out.push(d);
      ids = [];
    };
    for await (const e of this.#db.kv.list(_range(index, q), { reverse: true, batchSize: 100 })) {
      ids.push(e.key[e.key.length - 1] as string);
      if (ids.length >= 50) await flush();
      if (out.length >= limit) return out;
    }
    await flush();
    return out;
  }

  /** The platforms seen so far (for the history filter). */
  async platforms(): Promise<string[]> {
    const out: string[] = [];
    let start: Deno.KvKey = ["bot", "dl_platform"];
    // Skip from one platform to the next instead of reading every index entry.
    for (;;) {
      const it = this.#db.kv.list({ start, end: ["bot", "dl_platform\0"] }, { limit: 1 });
      const first = (await it.next()).value as Deno.KvEntry<unknown> | undefined;
      if (!first) return out;
      const p = first.key[2] as string;
      out.push(p);
      start = ["bot", "dl_platform", p + "\0"];
    }
  }
}

// Ids start with their creation time, so a time range is a key range under any of the indexes.
function _range(prefix: Deno.KvKey, q: DownloadQuery): Deno.KvListSelector {
  if (q.since === undefined && q.until === undefined) return { prefix };
  const at = (ms: number) => [...prefix, String(Math.max(0, Math.floor(ms))).padStart(13, "0")];
  return {
    start: q.since !== undefined ? at(q.since) : prefix,
    end: q.until !== undefined ? at(q.until) : [...prefix, "\uffff"],
  } as Deno.KvListSelector;
}
