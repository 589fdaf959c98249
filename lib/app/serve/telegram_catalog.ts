/**
 * The files `tgpipe serve` streams, over the shared account pool: chats resolved and messages
 * looked up by the main account (cached in the progress store), each stream's parts shared
 * between every account's lanes (the request's own account first, in turn), so a FLOOD_WAIT
 * on one bot moves the next parts to another without breaking the response. Each account fetches
 * the file as it sees it (a bot sees other access hashes than a user: each looks the message up
 * once, cached), refreshes an expired file reference through its own client and follows the file
 * to its DC.
 */
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import type { Limiter } from "../../engine/limiter.ts";
import { shareFile } from "../../engine/shared_file.ts";
import { streamRange } from "../../engine/stream_range.ts";
import type { Catalog, CatalogEntry, ServedFile } from "../../serve/catalog.ts";
import { fetchMessageFiles, historyFiles, thumbnailFile } from "../../telegram/media_messages.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";
import { resolveChat, type ResolvedChat } from "../../telegram/resolve_chat.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";
import type { MetaCache } from "./meta_cache.ts";

/** Options of {@link telegramCatalog}. */
export interface TelegramCatalogOptions {
  cache: MetaCache;
  /** Parts each stream fetches ahead of its reader. */
  readAhead: number;
  /** Parts in flight over every stream together. */
  inFlight: Limiter;
  /** Entries an index page lists at most. */
  indexLimit: number;
  /** Called with the bytes of each part handed to a client. */
  onBytes?: (n: number) => void;
}

/** The catalog over `pool` (see module comment). */
export function telegramCatalog(pool: AccountPool<TelegramAccount>, opts: TelegramCatalogOptions): Catalog {
  const main = pool.accounts[0];
  let turn = 0;
  const chatOf = (chat: string, signal: AbortSignal) =>
    opts.cache.get<ResolvedChat>(`chat:${chat.toLowerCase()}`, async () => {
      try {
        return await resolveChat(main.client, _chatRef(chat), { signal });
      } catch (err) {
        if ((err as { code?: string }).code === "NOT_FOUND") return undefined;
        throw err;
      }
    });
  const remote = async (chat: string, message: number, signal: AbortSignal) => {
    const ref = await chatOf(chat, signal);
    if (!ref) return undefined;
    return await opts.cache.get<RemoteFile>(`file:${ref.id}:${message}`, async () => {
      const [r] = await fetchMessageFiles(main.client, ref, [message], { signal });
      return r && "file" in r ? r.file : undefined;
    });
  };
  const asSeenBy = (chat: string, f: RemoteFile, signal: AbortSignal) =>
    _asSeenBy(pool.accounts, opts.cache, { chat, file: f, signal });
  const served = (f: RemoteFile, name: string, byAccount: Map<TelegramAccount, RemoteFile>): ServedFile => ({
    size: f.size,
    type: f.mimeType ?? "application/octet-stream",
    name,
    etag: `"${f.key.replaceAll(":", "-")}"`,
    lastModified: f.date * 1000,
    open: (range, signal) => {
      // this stream's own account first, in turn; its parts go to any free one
      const lanes = ownFirst(pool.accounts, turn++).map((a) => a.lane(byAccount.get(a) ?? f));
      const source = shareFile(lanes, f).source;
      return streamRange(source, range, {
        readAhead: opts.readAhead,
        inFlight: opts.inFlight,
        onBytes: opts.onBytes,
        signal,
      });
    },
  });
  return {
    file: async (chat, message, signal) => {
      const f = await remote(chat, message, signal);
      return f && served(f, _name(f), await asSeenBy(chat, f, signal));
    },
    thumbnail: async (chat, message, signal) => {
      const f = await remote(chat, message, signal);
      const t = f && thumbnailFile(f);
      if (!f || !t) return undefined;
      const thumbs = new Map(
        [...await asSeenBy(chat, f, signal)].map(([a, x]) => [a, thumbnailFile(x) ?? t]),
      );
      return served(t, `${message}_thumb.jpg`, thumbs);
    },
    metadata: async (chat, message, signal) => {
      const f = await remote(chat, message, signal);
      return f && _metadata(chat, f);
    },
    list: async (chat, signal) => {
      const ref = await chatOf(chat, signal);
      if (!ref) return undefined;
      const out: CatalogEntry[] = [];
      for await (const f of historyFiles(main.client, ref, { signal })) {
        out.push(_entry(f));
        if (out.length >= opts.indexLimit) break;
      }
      return out;
    },
  };
}

// the file as each account sees it (its own access hash and reference); the main one's otherwise
async function _asSeenBy(
  accounts: readonly TelegramAccount[],
  cache: MetaCache,
  q: { chat: string; file: RemoteFile; signal: AbortSignal },
): Promise<Map<TelegramAccount, RemoteFile>> {
  const f = q.file;
  return new Map(
    await Promise.all(accounts.map(async (a, i): Promise<[TelegramAccount, RemoteFile]> => {
      if (i === 0) return [a, f];
      const own = await cache.get<RemoteFile>(
        `file:${a.label}:${q.chat.toLowerCase()}:${f.messageId}`,
        () => _lookup(a, q.chat, f.messageId, q.signal).catch(() => undefined),
      );
      return [a, own && own.key === f.key ? own : f];
    })),
  );
}

function _metadata(chat: string, f: RemoteFile): Record<string, unknown> {
  return {
    chat,
    message: f.messageId,
    name: _name(f),
    size: f.size,
    mime_type: f.mimeType ?? "application/octet-stream",
    kind: f.mediaType,
    date: new Date(f.date * 1000).toISOString(),
    caption: f.caption,
    thumbnail: f.thumb !== undefined,
  };
}

function _entry(f: RemoteFile): CatalogEntry {
  return {
    message: f.messageId,
    name: _name(f),
    type: f.mimeType ?? "application/octet-stream",
    size: f.size,
    kind: f.mediaType,
    hasThumb: f.thumb !== undefined,
  };
}

// one account's own view of a message's file: its own chat resolution and message lookup
async function _lookup(
  a: TelegramAccount,
  chat: string,
  message: number,
  signal: AbortSignal,
): Promise<RemoteFile | undefined> {
  const ref = await resolveChat(a.client, /^[0-9]+$/.test(chat) ? `https://t.me/c/${chat}` : `@${chat}`, {
    signal,
  });
  const [r] = await fetchMessageFiles(a.client, ref, [message], { signal });
  return r && "file" in r ? r.file : undefined;
}

// digits name a channel by id (as in t.me/c/<id>); anything else is a username
function _chatRef(chat: string): string {
  return /^[0-9]+$/.test(chat) ? `https://t.me/c/${chat}` : `@${chat}`;
}

function _name(f: RemoteFile): string {
  if (f.fileName) return f.fileName;
  const ext = _EXT[f.mimeType ?? ""] ?? "";
  return `${f.messageId}${ext}`;
}

const _EXT: Record<string, string> = {
  "video/mp4": ".mp4",
  "video/webm": ".webm",
  "video/quicktime": ".mov",
  "audio/mpeg": ".mp3",
  "audio/ogg": ".ogg",
  "audio/mp4": ".m4a",
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/webp": ".webp",
  "application/pdf": ".pdf",
};
