/**
 * upload.saveFilePart / saveBigFilePart with Telegram's part rules, and their assembly into
 * blobs: part sizes, the part count limit of the advertised config (premium users get the larger
 * one), streamed big files (file_total_parts = -1 until the last part), md5 of small files, and a
 * lifetime after which saved parts are gone (FILE_PART_X_MISSING at the send).
 */
import { createHash } from "node:crypto";
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WBlob } from "../world/types.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

const MAX_PART = 512 * 1024;
const SMALL_MAX = 10 * 1024 * 1024;

interface Upload {
  /** Part bytes and when each was saved (ms). */
  parts: Map<number, { bytes: Uint8Array; at: number }>;
  /** Parts in all, once a saveBigFilePart said so (not -1). */
  total?: number;
  big: boolean;
  partSize?: number;
}

/** What the part rules depend on: the config's limits and the clock. */
export interface UploadRules {
  /** The part limit of this user (upload_max_fileparts_default or _premium). */
  maxParts(owner: bigint): number;
  /** Saved parts are kept this long, ms (0 = for ever). */
  ttlMs: number;
  now(): number;
}

/** Parts uploaded per (user, file id) until a send/upload call turns them into a blob. */
export class Uploads {
  private readonly map = new Map<string, Upload>();

  constructor(private readonly rules: UploadRules) {}

  /** Save one part; `total` is given for saveBigFilePart (-1 = not known yet). */
  save(owner: bigint, fileId: string, part: number, bytes: Uint8Array, total?: number): void {
    const max = this.rules.maxParts(owner);
    if (bytes.length === 0) throw new RpcError(400, "FILE_PART_EMPTY");
    if (bytes.length > MAX_PART) throw new RpcError(400, "FILE_PART_TOO_BIG");
    const big = total !== undefined;
    const known = big && total !== -1 ? total : undefined;
    if (big && total !== -1 && (total < 1 || total > max)) throw new RpcError(400, "FILE_PARTS_INVALID");
    if (part < 0 || part >= max || (known !== undefined && part >= known)) {
      throw new RpcError(400, "FILE_PART_INVALID");
    }
    const key = `${owner}:${fileId}`;
    let u = this.map.get(key);
    if (!u) this.map.set(key, u = { parts: new Map(), big });
    if (u.big !== big) throw new RpcError(400, "FILE_PARTS_INVALID");
    if (known !== undefined) {
      if (u.total !== undefined && u.total !== known) throw new RpcError(400, "FILE_PARTS_INVALID");
      u.total = known;
    }
    // Every part but the last has the upload's part size; which part is last is known only from
    // the total (a small file's, or a streamed big file's before its last part: checked at take)
    if (u.total !== undefined && part < u.total - 1) {
      if (bytes.length % 1024 !== 0 || MAX_PART % bytes.length !== 0) {
        throw new RpcError(400, "FILE_PART_SIZE_INVALID");
      }
      if (u.partSize !== undefined && u.partSize !== bytes.length) {
        throw new RpcError(400, "FILE_PART_SIZE_CHANGED");
      }
      u.partSize = bytes.length;
    }
    u.parts.set(part, { bytes, at: this.rules.now() });
  }

  /** Turn an InputFile / InputFileBig into a blob (parts are kept, not copied). */
  take(owner: bigint, f: Req, newId: () => bigint): WBlob {
    const big = f?.className === "InputFileBig";
    if (f?.className !== "InputFile" && !big) throw new RpcError(400, "FILE_PARTS_INVALID");
    const n = Number(f.parts);
    const key = `${owner}:${f.id}`;
    const u = this.map.get(key);
    if (!u) throw new RpcError(400, "FILE_PART_0_MISSING");
    if (n < 1 || n > this.rules.maxParts(owner) || u.big !== big || (big && u.total !== n)) {
      throw new RpcError(400, "FILE_PARTS_INVALID");
    }
    const now = this.rules.now();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const p = u.parts.get(i);
      // a part past its lifetime is gone, like one never sent
      if (!p || (this.rules.ttlMs > 0 && now - p.at > this.rules.ttlMs)) {
        throw new RpcError(400, `FILE_PART_${i}_MISSING`);
      }
      parts.push(p.bytes);
    }
    const partSize = parts[0].length;
    const okSize = n === 1 || (partSize % 1024 === 0 && MAX_PART % partSize === 0);
    if (!okSize || parts.some((p, i) => (i < n - 1 ? p.length !== partSize : p.length > partSize))) {
      throw new RpcError(400, "FILE_PART_SIZE_INVALID");
    }
    const size = parts.reduce((s, p) => s + p.length, 0);
    if (!big && size > SMALL_MAX) throw new RpcError(400, "FILE_PARTS_INVALID");
    if (!big && f.md5Checksum) {
      const h = createHash("md5");
      for (const p of parts) h.update(p);
      if (h.digest("hex") !== String(f.md5Checksum).toLowerCase()) {
        throw new RpcError(400, "MD5_CHECKSUM_INVALID");
      }
    }
    this.map.delete(key);
    return { id: newId(), size, source: { kind: "mem", parts, partSize } };
  }
}

/** saveFilePart / saveBigFilePart handlers. */
export function uploadHandlers(env: HandlerEnv, uploads: Uploads): HandlerMap {
  const owner = (ctx: RpcContext) => env.me(ctx);
  return {
    "upload.SaveFilePart": (q: Req, ctx) => {
      uploads.save(owner(ctx), String(q.fileId), q.filePart, q.bytes);
      return true;
    },
    "upload.SaveBigFilePart": (q: Req, ctx) => {
      uploads.save(owner(ctx), String(q.fileId), q.filePart, q.bytes, q.fileTotalParts);
      return true;
    },
  };
}

/** The upload rules of a cluster: limits from its config (faults spec), premium per user. */
export function uploadRules(env: HandlerEnv): UploadRules {
  const f = env.opts.faults;
  return {
    maxParts: (owner) => env.world.users.get(owner)?.premium ? f.uploadMaxPartsPremium : f.uploadMaxParts,
    ttlMs: f.partTtlS * 1000,
    now: () => env.now(),
  };
}
