/** Test helpers: a handler context on GramJS's default layer and a call helper. */
import { Api } from "telegram/tl/index.js";
import { LAYER, tlobjects } from "telegram/tl/AllTLObjects.js";
import type { AuthRecord, FaultSpec, HandlerMap, Layer, RpcContext } from "./contract.ts";
import { createHandlers } from "./handlers/index.ts";
import type { World } from "./world/types.ts";
import { seededRng } from "./world/rand.ts";
import { newStats } from "./mtproto/session.ts";

/** GramJS's default layer. */
export const L198: Layer = { layer: LAYER, Api, map: tlobjects };

/** Faults all off. */
export const NO_FAULTS: FaultSpec = {
  rttMs: 0,
  bandwidthBps: 0,
  floodP: 0,
  floodSeconds: 5,
  floodRules: [],
  disconnectP: 0,
  timeoutP: 0,
  stallP: 0,
  stallMs: 0,
  fileRefTtlS: 0,
  takeoutDelayS: 0,
  migrateP: 0,
  errorRules: [],
  corruptP: 0,
  corruptFiles: [],
  uploadMaxParts: 4000,
  uploadMaxPartsPremium: 8000,
  partTtlS: 0,
};

/** A two-DC cluster (2 home, 4) around a world, with a controllable clock. */
export function cluster(world: World, faults: Partial<FaultSpec> = {}, seed = 1) {
  const clock = { t: 1_700_000_000_000 };
  const dcs = [{ id: 2, host: "127.0.0.1", port: 1 }, { id: 4, host: "127.0.0.1", port: 2 }];
  const stats = newStats();
  const make = createHandlers(world, {
    dcs,
    homeDcId: 2,
    faults: { ...NO_FAULTS, ...faults },
    rng: seededRng(seed),
    registry: new Map(),
    now: () => clock.t,
    stats,
  });
  const maps: Record<number, HandlerMap> = { 2: make(dcs[0]), 4: make(dcs[1]) };
  let n = 0;
  /** A fresh auth key (optionally logged in). */
  const key = (userId?: bigint): AuthRecord => ({
    keyIdHex: `k${n++}`,
    key: new Uint8Array(256),
    dcId: 2,
    userId,
  });
  const call = async (
    auth: AuthRecord,
    method: string,
    req: unknown,
    dcId = 2,
    extra: Partial<RpcContext> = {},
  ) => {
    const ctx: RpcContext = {
      dcId,
      L: L198,
      auth,
      connId: 1,
      method,
      signal: new AbortController().signal,
      ...extra,
    };
    const h = maps[dcId][method];
    if (!h) throw new Error(`No handler ${method}`);
    // deno-lint-ignore no-explicit-any
    return (await h(req, ctx)) as any;
  };
  return { clock, call, key, maps, stats };
}
