/** upload.getFile and upload.getFileHashes with Telegram's alignment, DC and reference rules. */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WBlob, WFile } from "../world/types.ts";
import { readBlob } from "../world/blob.ts";
import { big } from "../world/to_tl_media.ts";
import type { HandlerEnv } from "./env.ts";

// deno-lint-ignore no-explicit-any
type Req = any;

const MB = 1 << 20;
const HASH_PART = 128 * 1024;
/** Hashes per upload.getFileHashes answer (Telegram hands out a few at a time). */
const HASHES_PER_CALL = 8;

/** The file and blob a location names, after DC and file-reference checks. */
export function locate(env: HandlerEnv, ctx: RpcContext, loc: Req): { file: WFile; blob: WBlob } {
  const cls = loc?.className;
  if (cls === "InputPeerPhotoFileLocation") return _peerPhoto(env, ctx, loc);
  if (cls !== "InputDocumentFileLocation" && cls !== "InputPhotoFileLocation") {
    throw new RpcError(400, "LOCATION_INVALID");
  }
  const file = env.world.files.get(BigInt(loc.id.toString()));
  const wantKind = cls === "InputDocumentFileLocation" ? "document" : "photo";
  if (!file || file.kind !== wantKind || file.accessHash !== BigInt(loc.accessHash.toString())) {
    throw new RpcError(400, "FILE_ID_INVALID");
  }
  const home = env.fileDc(file);
  if (ctx.dcId !== home && !env.migrated.has(`${file.id}:${ctx.dcId}`)) {
    throw new RpcError(303, `FILE_MIGRATE_${home}`);
  }
  env.checkFileRef(file, loc.fileReference);
  const size = String(loc.thumbSize ?? "");
  let blob: WBlob | undefined;
  if (file.kind === "document") {
    blob = size === "" ? file.blob : file.thumbs.find((t) => t.type === size)?.blob;
  } else blob = (size === "" ? file.sizes.at(-1) : file.sizes.find((t) => t.type === size))?.blob;
  if (!blob) throw new RpcError(400, "LOCATION_INVALID");
  return { file, blob };
}

/** A chat's current photo, addressed by peer and photo id (no file reference): big or small size. */
function _peerPhoto(env: HandlerEnv, ctx: RpcContext, loc: Req): { file: WFile; blob: WBlob } {
  const photo = env.chat(loc.peer, env.me(ctx)).photo;
  if (!photo || photo.id !== BigInt(loc.photoId.toString())) throw new RpcError(400, "LOCATION_INVALID");
  const home = env.fileDc(photo);
  if (ctx.dcId !== home && !env.migrated.has(`${photo.id}:${ctx.dcId}`)) {
    throw new RpcError(303, `FILE_MIGRATE_${home}`);
  }
  return { file: photo, blob: (loc.big ? photo.sizes.at(-1) : photo.sizes[0])!.blob };
}

/** File download handlers. */
export function fileHandlers(env: HandlerEnv): HandlerMap {
  return {
    "upload.GetFile": async (q: Req, ctx) => {
      const offset = Number(q.offset?.toString() ?? 0), limit = Number(q.limit ?? 0);
      const { file, blob } = locate(env, ctx, q.location);
      const unit = q.precise ? 1024 : 4096;
      if (offset < 0 || offset % unit !== 0) throw new RpcError(400, "OFFSET_INVALID");
      if (limit <= 0 || limit % unit !== 0 || limit > MB || (!q.precise && MB % limit !== 0)) {
        throw new RpcError(400, "LIMIT_INVALID");
      }
      if (Math.floor(offset / MB) !== Math.floor((offset + limit - 1) / MB)) {
        throw new RpcError(400, "LIMIT_INVALID");
      }
      const bytes = await readBlob(blob, offset, limit);
      const A = ctx.L.Api;
      const type = file.kind === "photo" ? new A.storage.FileJpeg() : new A.storage.FileUnknown();
      return new A.upload.File({
        type,
        mtime: file.date,
        bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
      });
    },
    "upload.GetFileHashes": async (q: Req, ctx) => {
      const { blob } = locate(env, ctx, q.location);
      const A = ctx.L.Api;
      const start = Math.floor(Number(q.offset?.toString() ?? 0) / HASH_PART) * HASH_PART;
      const out = [];
      for (let off = start; off < blob.size && out.length < HASHES_PER_CALL; off += HASH_PART) {
        const bytes = await readBlob(blob, off, HASH_PART);
        const hash = createHash("sha256").update(bytes).digest();
        out.push(new A.FileHash({ offset: big(off), limit: bytes.length, hash }));
      }
      return out;
    },
  };
}
