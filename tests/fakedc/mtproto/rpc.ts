/**
 * One RPC call: strip the invoke* wrappers, run the handler, and turn its answer (or error)
 * into the body of an rpc_result, gzip_packed when large as Telegram does.
 */
import { Buffer } from "node:buffer";
import zlib from "node:zlib";
import { serializeBytes } from "telegram/tl/generationHelpers.js";
import { type HandlerMap, type Layer, type RpcContext, RpcError } from "../contract.ts";
import type { ServerStats } from "./session.ts";
import { serializeResult } from "./tl.ts";

// deno-lint-ignore no-explicit-any
type TlObject = any;

/** What the wrappers around a query said. */
export interface Unwrapped {
  query: TlObject;
  /** Wrapper class names, outermost first (for the log). */
  wrappers: string[];
  layer?: number;
  takeoutId?: bigint;
  initConnection?: TlObject;
}

/** Strips invokeWithLayer, initConnection, invokeWithoutUpdates, invokeAfterMsg(s), invokeWithTakeout... */
export function unwrap(obj: TlObject): Unwrapped {
  const out: Unwrapped = { query: obj, wrappers: [] };
  for (let q = obj; q; q = q.query) {
    switch (q.className) {
      case "InvokeWithLayer":
        out.layer = q.layer;
        break;
      case "InitConnection":
        out.initConnection = q;
        break;
      case "InvokeWithTakeout":
        out.takeoutId = BigInt(q.takeoutId.toString());
        break;
      case "InvokeWithoutUpdates":
      case "InvokeAfterMsg":
      case "InvokeAfterMsgs":
      case "InvokeWithMessagesRange":
      case "InvokeWithApnsSecret":
      case "InvokeWithGooglePlayIntegrity":
        break;
      default:
        out.query = q;
        return out;
    }
    out.wrappers.push(q.className);
  }
  return out;
}

// Telegram gzips non-file answers above roughly this size.
const GZIP_MIN = 512;

/** Options the server passes for each call. */
export interface RpcEnv {
  handlers: HandlerMap;
  log: (line: string) => void;
  /** Methods that hit METHOD_NOT_IMPLEMENTED_IN_FAKE_DC (tests assert it stays empty). */
  unimplemented: Set<string>;
  stats: ServerStats;
  /** Log RPC errors too (ConnEnv.trace). */
  trace?: boolean;
}

function _errorBytes(L: Layer, code: number, message: string): Uint8Array {
  return new L.Api.RpcError({ errorCode: code, errorMessage: message }).getBytes();
}

/**
 * Runs a handler for an unwrapped query and returns the serialized result object (the part
 * after req_msg_id in rpc_result). Never throws: errors become rpc_error.
 */
export async function runRpc(query: TlObject, ctx: RpcContext, env: RpcEnv): Promise<Uint8Array> {
  const method: string = query?.className ?? "?";
  env.stats.rpcs++;
  if (ctx.auth.revoked) return _errorBytes(ctx.L, 401, "AUTH_KEY_UNREGISTERED");
  const h = env.handlers[method];
  if (!h) {
    env.unimplemented.add(method);
    env.log(`!!! METHOD_NOT_IMPLEMENTED_IN_FAKE_DC: ${method} (dc ${ctx.dcId}, layer ${ctx.L.layer})`);
    return _errorBytes(ctx.L, 400, "METHOD_NOT_IMPLEMENTED_IN_FAKE_DC");
  }
  let body: Uint8Array;
  try {
    const result = await h(query, ctx);
    if (method === "upload.GetFile") {
      env.stats.getFileCalls++;
      env.stats.getFileBytes += (result as { bytes?: Uint8Array })?.bytes?.length ?? 0;
    }
    body = serializeResult(result);
  } catch (e) {
    if (e instanceof RpcError) {
      if (env.trace) env.log(`[dc${ctx.dcId} c${ctx.connId}] !! ${method}: ${e.code} ${e.errorMessage}`);
      return _errorBytes(ctx.L, e.code, e.errorMessage);
    }
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    env.log(`!!! handler ${method} threw (dc ${ctx.dcId}): ${msg}`);
    return _errorBytes(ctx.L, 500, "INTERNAL");
  }
  if (body.length > GZIP_MIN && !method.startsWith("upload.")) {
    const packed = zlib.gzipSync(body, { level: 1 });
    if (packed.length + 8 < body.length) {
      env.stats.gzipOut++;
      // gzip_packed#3072cfa1 packed_data:bytes
      const head = new Uint8Array([0xa1, 0xcf, 0x72, 0x30]);
      const tl: Uint8Array = serializeBytes(Buffer.from(packed.buffer, packed.byteOffset, packed.length));
      const out = new Uint8Array(4 + tl.length);
      out.set(head);
      out.set(tl, 4);
      return out;
    }
  }
  return body;
}

/** rpc_result#f35c6d01 req_msg_id:long result:Object */
export function rpcResult(reqMsgId: bigint, result: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + result.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xf35c6d01, true);
  dv.setBigInt64(4, reqMsgId, true);
  out.set(result, 12);
  return out;
}
