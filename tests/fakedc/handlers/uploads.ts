/** upload.saveFilePart / saveBigFilePart with Telegram's part rules, and their assembly into blobs. */
import { createHash } from "node:crypto";
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WBlob } from "../world/types.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

const MAX_PART = 512 * 1024;
const MAX_PARTS = 4000;
const SMALL_MAX = 10 * 1024 * 1024;

interface Upload {
  parts: Map<number, Uint8Array>;
  total?: number;
  partSize?: number;
}

/** Parts uploaded per (user, file id) until a send/upload call turns them into a blob. */
export class Uploads {
  private readonly map = new Map<string, Upload>();

  /** Save one part, enforcing size and count rules as far as they are known at this point. */
  save(owner: bigint, fileId: string, part: number, bytes: Uint8Array, total?: number): void {
    if (bytes.length === 0) throw new RpcError(400, "FILE_PART_EMPTY");
    if (bytes.length > MAX_PART) throw new RpcError(400, "FILE_PART_TOO_BIG");
    if (total !== undefined && (total < 1 || total > MAX_PARTS)) {
      throw new RpcError(400, "FILE_PARTS_INVALID");
    }
    if (part < 0 || part >= MAX_PARTS || (total !== undefined && part >= total)) {
      throw new RpcError(400, "FILE_PART_INVALID");
    }
    const key = `${owner}:${fileId}`;
    let u = this.map.get(key);
    if (!u) this.map.set(key, u = { parts: new Map(), total });
    if (total !== undefined && u.total !== total) throw new RpcError(400, "FILE_PARTS_INVALID");
    const last = total !== undefined && part === total - 1;
    if (!last && total !== undefined) {
      if (bytes.length % 1024 !== 0 || MAX_PART % bytes.length !== 0) {
        throw new RpcError(400, "FILE_PART_SIZE_INVALID");
      }
      if (u.partSize !== undefined && u.partSize !== bytes.length) {
        throw new RpcError(400, "FILE_PART_SIZE_CHANGED");
      }
      u.partSize = bytes.length;
    }
    u.parts.set(part, bytes);
  }

  /** Turn an InputFile / InputFileBig into a blob (parts are kept, not copied). */
  take(owner: bigint, f: Req, newId: () => bigint): WBlob {
    const big = f?.className === "InputFileBig";
    if (f?.className !== "InputFile" && !big) throw new RpcError(400, "FILE_PARTS_INVALID");
    const n = Number(f.parts);
    const key = `${owner}:${f.id}`;
    const u = this.map.get(key);
    if (!u) throw new RpcError(400, "FILE_PART_0_MISSING");
    if (n < 1 || n > MAX_PARTS || (big && u.total !== n) || (!big && u.total !== undefined)) {
      throw new RpcError(400, "FILE_PARTS_INVALID");
    }
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const p = u.parts.get(i);
      if (!p) throw new RpcError(400, `FILE_PART_${i}_MISSING`);
      parts.push(p);
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
