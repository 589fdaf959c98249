/**
 * Reads a GramJS StringSession for the early session check without GramJS: the DC, the address
 * GramJS would connect to, and the auth key. Anything unusual gives undefined: the caller then
 * leaves the session to GramJS (parse_session.ts), which reports what is wrong with it.
 */
import type { TelegramEndpoints } from "./endpoints.ts";

/** Where and with which key the early check talks. `authKey` is a secret. */
export interface EarlySession {
  dcId: number;
  host: string;
  port: number;
  authKey: Uint8Array;
}

/** The port GramJS's TelegramClient connects to (it ignores the session's port without WSS). */
const GRAMJS_PORT = 80;

/**
 * The session's DC, address and key; `endpoints` (the test seam) maps DC ids to addresses as
 * openClient does. Undefined when the string is not a version-1 StringSession with a 256-byte key,
 * or the seam has no address for its DC.
 */
export function readEarlySession(text: string, endpoints?: TelegramEndpoints): EarlySession | undefined {
  if (text[0] !== "1") return undefined;
  let b: Uint8Array;
  try {
    // StringSession decodes with Buffer's base64, which takes the URL-safe alphabet too
    const bin = atob(text.slice(1).replace(/-/g, "+").replace(/_/g, "/"));
    b = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const dv = new DataView(b.buffer);
  if (b.length < 3) return undefined;
  const dcId = b[0];
  let host: string, o: number;
  if (text.length - 1 === 352) {
    // GramJS's older layout: a 4-byte IPv4 address
    host = [...b.subarray(1, 5)].join(".");
    o = 5;
  } else {
    const len = dv.getInt16(1, false);
    if (len > 100 || len <= 0 || 3 + len > b.length) return undefined; // IPv6 layout: left to GramJS
    host = new TextDecoder().decode(b.subarray(3, 3 + len));
    o = 3 + len;
  }
  const authKey = b.slice(o + 2);
  if (authKey.length !== 256) return undefined;
  if (endpoints) {
    const dc = endpoints.dcs[dcId];
    return dc ? { dcId, host: dc.host, port: dc.port, authKey } : undefined;
  }
  if (dcId < 1 || dcId > 5) return undefined;
  return { dcId, host, port: GRAMJS_PORT, authKey };
}
