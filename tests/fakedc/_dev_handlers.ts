/**
 * A tiny handler set for the protocol server's own tests: config, self user, state, auth
 * export/import and one blob on the media DC. It keeps the transport tests independent of the
 * world model, which has its own tests.
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { type DcSpec, type HandlerMap, type RpcContext, RpcError } from "./contract.ts";
import { helpConfig } from "./help_config.ts";

/** The one document the dev handlers serve (id 555 on `fileDc`). */
export const DEV_DOC = { id: 555n, accessHash: 666n, fileReference: new Uint8Array([1, 2, 3]) };

/** Deterministic blob content, so tests can compare without keeping a copy. */
export function devBlob(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7 + (i >> 12)) & 0xff;
  return b;
}

/** Handler maps per DC for a cluster whose self user is `selfId` and whose blob lives on `fileDc`. */
export function devHandlers(
  dcs: DcSpec[],
  opts: { selfId: bigint; fileDc: number; blobSize: number },
): (dc: DcSpec) => HandlerMap {
  const blob = devBlob(opts.blobSize);
  const exported = new Map<string, bigint>();
  // deno-lint-ignore no-explicit-any
  const me = (A: any) =>
    new A.User({
      self: true,
      id: bigInt(opts.selfId),
      accessHash: bigInt(1),
      firstName: "Dev",
      username: "dev",
    });
  const needUser = (ctx: RpcContext) => {
    if (ctx.auth.userId === undefined) throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
    return ctx.auth.userId;
  };
  return (dc) => ({
    "help.GetConfig": (_q, ctx) =>
      helpConfig(ctx.L.Api, { nowMs: Date.now(), thisDc: dc.id, dcs, webfileDcId: 4 }),
    "help.GetNearestDc": (_q, ctx) =>
      new ctx.L.Api.NearestDc({ country: "NL", thisDc: dc.id, nearestDc: dc.id }),
    "users.GetUsers": (_q, ctx) => (needUser(ctx), [me(ctx.L.Api)]),
    "updates.GetState": (_q, ctx) =>
      new ctx.L.Api.updates.State({
        pts: 1,
        qts: 0,
        date: Math.floor(Date.now() / 1000),
        seq: 1,
        unreadCount: 0,
      }),
    "auth.ExportAuthorization": (_q, ctx) => {
      const userId = needUser(ctx);
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      exported.set(Buffer.from(bytes).toString("hex"), userId);
      return new ctx.L.Api.auth.ExportedAuthorization({ id: bigInt(userId), bytes: Buffer.from(bytes) });
    },
    "auth.ImportAuthorization": (q, ctx) => {
      const userId = exported.get(Buffer.from(q.bytes).toString("hex"));
      if (userId === undefined) throw new RpcError(400, "AUTH_BYTES_INVALID");
      ctx.auth.userId = userId;
      return new ctx.L.Api.auth.Authorization({ user: me(ctx.L.Api) });
    },
    "auth.ImportBotAuthorization": (_q, ctx) => {
      ctx.auth.userId = opts.selfId;
      return new ctx.L.Api.auth.Authorization({ user: me(ctx.L.Api) });
    },
    "upload.GetFile": (q, ctx) => {
      needUser(ctx);
      if (dc.id !== opts.fileDc) throw new RpcError(303, `FILE_MIGRATE_${opts.fileDc}`);
      const off = Number(q.offset), lim = q.limit;
      if (
        off % 4096 || lim % 4096 || (1 << 20) % lim ||
        Math.floor(off / (1 << 20)) !== Math.floor((off + lim - 1) / (1 << 20))
      ) {
        throw new RpcError(400, "LIMIT_INVALID");
      }
      return new ctx.L.Api.upload.File({
        type: new ctx.L.Api.storage.FileUnknown(),
        mtime: 0,
        bytes: Buffer.from(
          blob.buffer,
          Math.min(off, blob.length),
          Math.max(0, Math.min(lim, blob.length - off)),
        ),
      });
    },
    // A big answer of non-file data, so tests can see gzip_packed on the wire.
    "help.GetAppConfig": (_q, ctx) => {
      const A = ctx.L.Api;
      const items = Array.from(
        { length: 200 },
        (_, i) =>
          new A.JsonObjectValue({
            key: `key_${i}`,
            value: new A.JsonString({ value: "fake dc ".repeat(8) }),
          }),
      );
      return A.help?.AppConfig
        ? new A.help.AppConfig({ hash: 0, config: new A.JsonObject({ value: items }) })
        : new A.JsonObject({ value: items });
    },
  });
}
