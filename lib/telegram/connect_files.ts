/**
 * Everything a fetch worker needs to download on its own: a client opened from plain settings,
 * its FilePool, and FileSources that refresh expired references through that client.
 */
import type { FileSource } from "../engine/file_source.ts";
import type { Emit } from "../progress/events.ts";
import { openClient, type TgClient } from "./client.ts";
import { parseEndpoints } from "./endpoints.ts";
import type { ProxyConfig } from "../core/proxy.ts";
import type { DcKeyScope } from "./dc_key_store.ts";
import { FilePool } from "./file_pool.ts";
import { telegramFileSource } from "./file_source.ts";
import { fetchMessageFiles } from "./media_messages.ts";
import { batchRefresh } from "./refresh_batch.ts";
import type { RemoteFile } from "./remote_file.ts";

/** Plain, structured-clonable login data of one account; `session` and `apiHash` are secrets. */
export interface AccountConfig {
  apiId: number;
  apiHash: string;
  session: string;
  /** Raw telegram_endpoints JSON (the test seam). */
  endpoints?: string;
  /** Every connection goes through this proxy; undefined = direct. */
  proxy?: ProxyConfig;
  /** Where the authorized keys of other DCs are kept between runs (`<data dir>/dc-keys`); undefined = nowhere. */
  dcKeyDir?: string;
}

/** A client with its file connections. */
export interface FileAccess {
  client: TgClient;
  pool: FilePool;
  /** The FileSource of a file, refreshing its reference through this client. */
  source(file: RemoteFile, opts?: { verify?: boolean }): FileSource;
  close(): Promise<void>;
}

/** Wraps a connected client (or opens one from `config`) with a FilePool. */
export async function connectFiles(
  from: TgClient | AccountConfig,
  opts: {
    connections?: number;
    /** A file request with no answer after this long is retried (default: the call policy's). */
    callTimeoutMs?: number;
    /** See CallPolicy.handoff: a FLOOD_WAIT on a file request fails at once when this says so. */
    handoff?: (seconds: number) => boolean;
    /** Where the keys of other DCs are kept, for a connected client (an AccountConfig says it itself). */
    dcKeys?: DcKeyScope;
    emit?: Emit;
    signal?: AbortSignal;
  },
): Promise<FileAccess> {
  const owned = !("call" in from);
  const dcKeys = "call" in from
    ? opts.dcKeys
    : from.dcKeyDir
    ? { dir: from.dcKeyDir, apiId: from.apiId, endpoints: from.endpoints }
    : undefined;
  const client = "call" in from ? from : await openClient({
    apiId: from.apiId,
    apiHash: from.apiHash,
    session: from.session,
    endpoints: from.endpoints ? parseEndpoints(from.endpoints) : undefined,
    proxy: from.proxy,
    emit: opts.emit,
    signal: opts.signal,
  });
  const pool = new FilePool(client, {
    connectionsPerDc: opts.connections,
    emit: opts.emit,
    policy: { timeoutMs: opts.callTimeoutMs, handoff: opts.handoff },
    dcKeys,
  });
  // references of one page expire together: one lookup refreshes them all
  const refresh = batchRefresh((chat, ids) => fetchMessageFiles(client, chat, ids, { signal: opts.signal }));
  return {
    client,
    pool,
    source: (file, o = {}) =>
      telegramFileSource(pool, file, { verify: o.verify, refresh: () => refresh(file) }),
    close: async () => {
      await pool.close();
      if (owned) await client.close();
    },
  };
}
