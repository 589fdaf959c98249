/**
 * `tgpipe serve`: streams the files of Telegram chats over HTTP (Deno.serve) from the shared
 * account pool, until the signal stops it; then streams in flight are cut, the listener closes,
 * the pool disconnects and the run reports what it served. No job record: a request is not
 * resumable work, but every request is an `http_access` event and the run has start and done.
 */
import { UsageError } from "../../core/errors.ts";
import { HeapTrimmer } from "../../core/heap_trim.ts";
import { Limiter } from "../../engine/limiter.ts";
import type { Emit } from "../../progress/events.ts";
import { serveHandler } from "../../serve/http_handler.ts";
import { signingKey } from "../../serve/signed_link.ts";
import { StreamLimits } from "../../serve/stream_limits.ts";
import { openProgressStore } from "../../store/kv_store.ts";
import { openAccountPool } from "../../telegram/telegram_account_pool.ts";
import { accountSpec, type TelegramAccess } from "../shared/telegram_access.ts";
import { MetaCache } from "./meta_cache.ts";
import { loadSecret } from "./serve_secret.ts";
import { telegramCatalog } from "./telegram_catalog.ts";

/** Options of {@link serve}; lib/cli fills every field from flags and settings. */
export interface ServeOptions {
  /** Chats served (usernames or channel ids); empty = any the accounts can read. */
  chats: string[];
  hostname: string;
  port: number;
  accounts: TelegramAccess[];
  kv: string;
  createKvParent?: boolean;
  dataDir: string;
  /** The signing secret; undefined = the stored one (made once). */
  secret?: string;
  /** No signatures; only on a loopback address unless `force`. */
  public?: boolean;
  force?: boolean;
  maxStreams: number;
  maxStreamsPerClient: number;
  index?: boolean;
  /** How long looked-up metadata stays cached (ms). */
  cacheTtlMs: number;
  connections?: number;
  /** Parts each stream fetches ahead. Default 8. */
  readAhead?: number;
  /** Called once the server listens (tests, the bench). */
  onListen?: (url: string) => void;
  emit: Emit;
  signal: AbortSignal;
}

/** What a serve run did. */
export interface ServeReport {
  url: string;
  requests: number;
  /** Responses with a 5xx status. */
  errors: number;
  bytes: number;
  elapsed_ms: number;
}

// parts in flight per account over every stream: each is a megabyte held until its client reads it
const PARTS_IN_FLIGHT = 16;

/** Runs the server until `opts.signal` aborts (see module comment). */
export async function serve(opts: ServeOptions): Promise<ServeReport> {
  _checkListen(opts);
  const t0 = Date.now();
  const key = opts.public ? undefined : await signingKey(await loadSecret(opts.secret, opts.dataDir));
  const store = await openProgressStore(opts.kv, {
    createParent: opts.createKvParent ?? false,
    signal: opts.signal,
  });
  const tally = { requests: 0, errors: 0, bytes: 0 };
  const emit: Emit = (e) => {
    if (e.type === "http_access") {
      tally.requests++;
      tally.bytes += e.bytes;
      if (e.status >= 500) tally.errors++;
    }
    opts.emit(e);
  };
  try {
    const pool = await openAccountPool(opts.accounts.map(accountSpec), {
      connections: opts.connections ?? 8,
      verify: false,
      stallMs: 30_000,
      emit,
      signal: opts.signal,
    });
    try {
      emit({ type: "start", command: "serve" });
      const catalog = telegramCatalog(pool, {
        cache: new MetaCache(store, { ttlMs: opts.cacheTtlMs }),
        readAhead: opts.readAhead ?? 8,
        inFlight: new Limiter(PARTS_IN_FLIGHT * pool.accounts.length),
        indexLimit: 500,
        onBytes: _trimmer(),
      });
      const url = await _listen(
        opts,
        serveHandler(catalog, {
          key,
          limits: new StreamLimits(opts.maxStreams, opts.maxStreamsPerClient),
          index: opts.index ?? false,
          chats: opts.chats,
          linkTtlS: 24 * 3600,
          lookupTimeoutMs: 60_000,
          stop: opts.signal,
          emit,
        }),
        emit,
      );
      const elapsed_ms = Date.now() - t0;
      emit({
        type: "done",
        command: "serve",
        exit_code: 0,
        items_done: tally.requests - tally.errors,
        items_failed: tally.errors,
        items_skipped: 0,
        bytes: tally.bytes,
        elapsed_ms,
      });
      return { url, ...tally, elapsed_ms };
    } finally {
      await pool.close();
    }
  } finally {
    store.close();
  }
}

/** Listens until the signal aborts; resolves with the base URL once every connection closed. */
async function _listen(
  opts: ServeOptions,
  handler: ReturnType<typeof serveHandler>,
  emit: Emit,
): Promise<string> {
  let url = "";
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: opts.hostname,
      port: opts.port,
      signal: opts.signal,
      onListen: (addr) => {
        const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
        url = `http://${host}:${addr.port}`;
        emit({ type: "serve_listen", url, public: opts.public === true });
        opts.onListen?.(url);
      },
      onError: (err) => {
        emit({ type: "warning", code: "SERVE_ERROR", message: (err as Error).message ?? String(err) });
        return new Response("Internal error\n", { status: 500 });
      },
    }, handler);
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(`Cannot listen on ${opts.hostname}:${opts.port}: ${(err as Error).message}`);
    }
    throw err;
  }
  await server.finished;
  return url;
}

// the download's heap bound: a full collection every 128 MB streamed (when gc is exposed)
function _trimmer(): (n: number) => void {
  const trim = new HeapTrimmer(128 << 20);
  let total = 0;
  return (n) => trim.progress("serve", total += n);
}

function _checkListen(opts: ServeOptions): void {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new UsageError(`--listen needs a port 0-65535, got ${opts.port}`);
  }
  if (opts.public && !opts.force && !_loopback(opts.hostname)) {
    throw new UsageError(
      `--public serves without signatures: it listens only on a loopback address (not ${opts.hostname}) ` +
        "unless --force is given",
    );
  }
}

function _loopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
