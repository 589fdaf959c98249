import type { PartPlan } from "./parts.ts";

/** SHA-256 of one byte range of a remote file (upload.getFileHashes). */
export interface FileHashRange {
  offset: number;
  limit: number;
  sha256: Uint8Array;
}

/** A remote file the engine can fetch part by part (Telegram document, photo, test blob). */
export interface FileSource {
  /** Stable identity of the remote file (e.g. "doc:<dc>:<id>"), for resume and skip-same. */
  readonly key: string;
  readonly size: number;
  /** Fetches bytes [offset, offset + limit), fewer at the end of the file. */
  fetchPart(part: PartPlan, signal: AbortSignal): Promise<Uint8Array>;
  /**
   * Takes back the bytes of a part once the engine has written them, so their buffer can be
   * reused; the engine never touches them afterwards.
   */
  release?(bytes: Uint8Array): void;
  /**
   * Resolves once requests can go out (the connection to the file's server is open): the engine waits
   * for it before the file's parts take their places among the parts in flight of a batch, which they
   * would otherwise hold while a new DC is opened (its own auth key: a second or more).
   */
  ready?(signal: AbortSignal): Promise<void>;
  /** Hashes of the whole file by range, when the server offers them. */
  hashes?(signal: AbortSignal): Promise<FileHashRange[]>;
}

/** Remembers which parts of a file are on disk, durably, so a resumed download skips them. */
export interface PartLedger {
  /** Indexes of the parts already written for this file. */
  load(fileKey: string): Promise<Set<number>>;
  /** Records a part as written; resolves only once the record is durable. */
  markDone(fileKey: string, index: number): Promise<void>;
  /** Forgets the file (after it was completed, or when its partial file is gone). */
  clear(fileKey: string): Promise<void>;
}

/**
 * Fetches one part and writes it at its offset into the partial file itself (a fetch worker does
 * this, so megabytes never cross threads); resolves with the bytes written.
 */
export type PartWriter = (part: PartPlan, partPath: string, signal: AbortSignal) => Promise<number>;
