/**
 * A FileSource for a Telegram document or photo over a FilePool: upload.getFile parts on the
 * file's DC, FILE_MIGRATE_X moves the file to DC X, FILE_REFERENCE_EXPIRED refreshes the
 * reference (by refetching the message) and retries, upload.getFileHashes gives verification.
 */
import bigInt from "big-integer";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import { TelegramError } from "../core/errors.ts";
import type { FileHashRange, FileSource } from "../engine/file_source.ts";
import type { PartPlan } from "../engine/parts.ts";
import type { FilePool } from "./file_pool.ts";
import { releasePacketBuffer } from "./packet_buffers.ts";
import type { FileLocationRef, RemoteFile } from "./remote_file.ts";

/** Options of {@link telegramFileSource}. */
export interface TelegramFileSourceOptions {
  /** Returns the file with a fresh file reference (refetches its message). */
  refresh?: () => Promise<FileLocationRef>;
  /** Fetch upload.getFileHashes for verification. Default true. */
  verify?: boolean;
  /** Hash requests in flight at once. Default 8. */
  hashConcurrency?: number;
}

const HASH_SPAN = 8 * 128 * 1024;
const MAX_REDIRECTS = 5;

/** Builds the FileSource of one remote file (see module comment). */
export function telegramFileSource(
  pool: FilePool,
  file: RemoteFile,
  opts: TelegramFileSourceOptions = {},
): FileSource {
  let loc = file.location;
  let dcId = loc.dcId;
  let refreshing: Promise<void> | undefined;
  const refresh = async (stale: FileLocationRef) => {
    if (!opts.refresh) return false;
    // concurrent parts share one refetch; a part that already sees a newer reference just retries
    if (loc === stale) {
      refreshing ??= opts.refresh().then((l) => void (loc = l)).finally(() => (refreshing = undefined));
    }
    await refreshing;
    return true;
  };
  const invoke = async <T>(build: (l: FileLocationRef) => object, signal: AbortSignal): Promise<T> => {
    for (let round = 0;; round++) {
      const used = loc;
      try {
        return await pool.call<T>(dcId, build(used), signal);
      } catch (err) {
        if (round >= MAX_REDIRECTS || !(err instanceof TelegramError)) throw err;
        const m = /^FILE_MIGRATE_(\d+)$/.exec(err.rpcMessage);
        if (m) {
          dcId = Number(m[1]);
          continue;
        }
        if (/^FILE_REFERENCE_(EXPIRED|INVALID)$/.test(err.rpcMessage) && await refresh(used)) continue;
        throw err;
      }
    }
  };
  const source: FileSource = {
    key: file.key,
    size: file.size,
    async fetchPart(part: PartPlan, signal: AbortSignal): Promise<Uint8Array> {
      const res = await invoke<Api.upload.TypeFile>((l) =>
        new Api.upload.GetFile({
          location: inputLocation(l),
          offset: bigInt(part.offset),
          limit: part.limit,
          precise: false,
          cdnSupported: false,
        }), signal);
      if (!(res instanceof Api.upload.File)) {
        throw new TelegramError(-1, "CDN_REDIRECT_UNSUPPORTED", "upload.GetFile");
      }
      const b = res.bytes;
      return new Uint8Array(b.buffer, b.byteOffset, b.length);
    },
    release: releasePacketBuffer,
    ready: () => pool.ready(dcId),
  };
  if (opts.verify ?? true) {
    source.hashes = async (signal: AbortSignal): Promise<FileHashRange[]> => {
      const offsets: number[] = [];
      for (let off = 0; off < file.size; off += HASH_SPAN) offsets.push(off);
      const out: FileHashRange[] = [];
      let next = 0;
      const worker = async () => {
        while (next < offsets.length) {
          const offset = offsets[next++];
          const list = await invoke<Api.TypeFileHash[]>(
            (l) => new Api.upload.GetFileHashes({ location: inputLocation(l), offset: bigInt(offset) }),
            signal,
          );
          for (const h of list) {
            out.push({ offset: Number(h.offset), limit: h.limit, sha256: new Uint8Array(h.hash) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(opts.hashConcurrency ?? 8, offsets.length) }, worker));
      return out.sort((a, b) => a.offset - b.offset);
    };
  }
  return source;
}

/** The GramJS input location of a file reference (lib/telegram only). */
export function inputLocation(l: FileLocationRef): Api.TypeInputFileLocation {
  const common = {
    id: bigInt(l.id),
    accessHash: bigInt(l.accessHash),
    fileReference: Buffer.from(l.fileReference, "hex"),
  };
  return l.kind === "document"
    // a document's own bytes have thumbSize ""; its thumbnails (serve's /t/) name their size type
    ? new Api.InputDocumentFileLocation({ ...common, thumbSize: l.thumbSize })
    : new Api.InputPhotoFileLocation({ ...common, thumbSize: l.thumbSize });
}
