/**
 * Where the early session check (early_check.ts) started at process start waits for the account
 * connect it saves a round trip and GramJS's first request for: keyed by the exact session string,
 * API id and endpoints, so another session (or the same one at another address) never gets it,
 * and taken once, so a later connect of the run checks the session itself.
 */
import type { EventBody } from "../progress/events.ts";
import { type EarlyCheck, earlyCheck, type EarlyOutcome } from "./early_check.ts";
import { readEarlySession } from "./early_session.ts";
import { parseEndpoints } from "./endpoints.ts";

/** Which account an early check is for; `session` is a secret (kept in memory only). */
export interface EarlyKey {
  apiId: number;
  /** Raw telegram_endpoints JSON (the test seam); undefined = Telegram. */
  endpoints?: string;
  session: string;
}

/**
 * How long the early check waits for the server per step (the connection and the salt, then the
 * answer) before it gives up and GramJS checks the session: a round trip on a slow link, with room.
 */
export const EARLY_TIMEOUT_MS = 3000;

const _pending = new Map<string, EarlyCheck>();

function _id(k: EarlyKey): string {
  return JSON.stringify([k.apiId, k.endpoints ?? null, k.session]);
}

/**
 * Starts the early check for `key` (a direct connection: the caller knows no proxy is set): it
 * connects and learns the server's salt, and sends the request once its outcome is taken. Returns
 * a promise settled when it is ready to (or ended), or undefined when the session or endpoints are
 * not something it can use (GramJS then reports what is wrong).
 */
export function startEarlyCheck(key: EarlyKey, timeoutMs = EARLY_TIMEOUT_MS): Promise<void> | undefined {
  let endpoints;
  try {
    endpoints = key.endpoints ? parseEndpoints(key.endpoints) : undefined;
  } catch {
    return undefined;
  }
  const session = readEarlySession(key.session, endpoints);
  if (!session) return undefined;
  const check = earlyCheck({ apiId: key.apiId, session, timeoutMs });
  _pending.set(_id(key), check);
  return check.ready;
}

let _starting: Promise<unknown> = Promise.resolve();

/**
 * Tells the registry that a check is being started (`starting` settles once startEarlyCheck was
 * called, or it was found that none can be): takeEarlyOutcome waits for it first.
 */
export function noteEarlyStart(starting: Promise<unknown>): void {
  _starting = Promise.all([_starting, starting.catch(() => {})]);
}

/**
 * Sends the request of the early check started for `key` and returns its outcome (once; undefined
 * when none was started). Called when the command is about to connect: its input is checked.
 */
export async function takeEarlyOutcome(key: EarlyKey): Promise<EarlyOutcome | undefined> {
  await _starting;
  const id = _id(key);
  const check = _pending.get(id);
  _pending.delete(id);
  check?.release();
  return await check?.outcome;
}

/** The `--verbose` line saying why the early check could not tell (its reason names no secret). */
export function earlyFallbackLog(reason: string): EventBody {
  return {
    type: "log",
    level: "debug",
    message: `early session check: ${reason}; GramJS checks the session`,
  };
}
