/**
 * RPC-level faults around a handler map, driven by FaultSpec and the cluster's seeded rng:
 * flood rules and random FLOOD_WAIT, error rules, stalled, FILE_MIGRATE'd and corrupted
 * upload.getFile. (Transport faults — latency, bandwidth, disconnects, timeouts — belong to the
 * protocol server.) The spec is read at every call, so a test may change it between runs.
 */
import { Buffer } from "node:buffer";
import type { FaultSpec, Handler, HandlerMap, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { HandlerEnv } from "./env.ts";

/** Methods never flooded, so a client can always connect and learn the DC layout. */
const EXEMPT = new Set(["help.GetConfig", "help.GetNearestDc"]);

/** Call history per (account, method) for the flood rules; shared by every DC of the cluster. */
export class FloodState {
  readonly calls = new Map<string, number[]>();
}

/** Wrap every handler with the RPC faults. */
export function withRpcFaults(env: HandlerEnv, flood: FloodState, dcId: number, map: HandlerMap): HandlerMap {
  const out: HandlerMap = {};
  for (const [name, h] of Object.entries(map)) out[name] = _wrap(env, flood, dcId, name, h);
  return out;
}

function _wrap(env: HandlerEnv, flood: FloodState, dcId: number, name: string, h: Handler): Handler {
  const f = env.opts.faults, rng = env.opts.rng;
  return async (req, ctx: RpcContext) => {
    if (!EXEMPT.has(name)) {
      _floodRules(env, flood, name, ctx);
      if (f.floodP > 0 && rng() < f.floodP) {
        if (env.opts.stats) env.opts.stats.faultFloods++;
        throw new RpcError(420, `FLOOD_WAIT_${f.floodSeconds}`);
      }
    }
    _errorRules(f.errorRules, name, req);
    if (name !== "upload.GetFile") return await h(req, ctx);
    if (f.migrateP > 0 && rng() < f.migrateP) _migrate(env, dcId, req);
    if (f.stallP > 0 && rng() < f.stallP) {
      if (env.opts.stats) env.opts.stats.faultStalls++;
      await _sleep(f.stallMs, ctx.signal);
    }
    const res = await h(req, ctx);
    const corrupt = f.corruptFiles.includes(_targetOf(req) ?? "") || (f.corruptP > 0 && rng() < f.corruptP);
    return corrupt ? _corrupt(res, rng) : res;
  };
}

function _errorRules(rules: FaultSpec["errorRules"], name: string, req: unknown): void {
  for (const r of rules) {
    if (r.method.toLowerCase() !== name.toLowerCase()) continue;
    if (r.target !== undefined && r.target !== _targetOf(req)) continue;
    throw new RpcError(r.code, r.message);
  }
}

/** The id a request is about: its peer's or channel's id, or its file location's id. */
function _targetOf(req: unknown): string | undefined {
  // deno-lint-ignore no-explicit-any
  const q = req as any;
  const p = q?.peer ?? q?.channel;
  const id = p?.channelId ?? p?.userId ?? p?.chatId ?? q?.location?.id;
  return id === undefined ? undefined : id.toString();
}

/** The same answer with one byte flipped (copied: the blob's bytes may be shared). */
// deno-lint-ignore no-explicit-any
function _corrupt(res: any, rng: () => number): unknown {
  const bytes: Uint8Array | undefined = res?.bytes;
  if (!bytes || bytes.length === 0) return res;
  const copy = Buffer.from(bytes);
  copy[Math.floor(rng() * copy.length)] ^= 0xff;
  res.bytes = copy;
  return res;
}

function _floodRules(env: HandlerEnv, flood: FloodState, name: string, ctx: RpcContext): void {
  const now = env.now();
  for (const rule of env.opts.faults.floodRules) {
    if (rule.method.toLowerCase() !== name.toLowerCase()) continue;
    if (rule.user !== undefined && String(ctx.auth.userId) !== rule.user) continue;
    const key = `${ctx.auth.userId ?? ctx.auth.keyIdHex}|${name}|${rule.windowS}`;
    const since = now - rule.windowS * 1000;
    const list = (flood.calls.get(key) ?? []).filter((t) => t > since);
    flood.calls.set(key, list);
    if (list.length >= rule.requests) {
      throw new RpcError(420, `FLOOD_WAIT_${Math.max(1, Math.ceil((list[0] - since) / 1000))}`);
    }
    list.push(now);
  }
}

/** Send a file the client asked for at its right DC to another DC, which then serves it. */
// deno-lint-ignore no-explicit-any
function _migrate(env: HandlerEnv, dcId: number, req: any): void {
  const id = req?.location?.id?.toString();
  const file = id !== undefined ? env.world.files.get(BigInt(id)) : undefined;
  if (!file || env.fileDc(file) !== dcId) return;
  const others = env.dcIds.filter((d) => d !== dcId);
  if (others.length === 0) return;
  const to = others[Math.floor(env.opts.rng() * others.length)];
  env.migrated.add(`${file.id}:${to}`);
  if (env.opts.stats) env.opts.stats.faultMigrates++;
  throw new RpcError(303, `FILE_MIGRATE_${to}`);
}

function _sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
