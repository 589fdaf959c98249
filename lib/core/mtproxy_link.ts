/**
 * MTProxy links as Telegram apps share them: `tg://proxy?server=H&port=P&secret=S` and
 * `https://t.me/proxy?...` (also telegram.me). Secrets: plain (16 bytes), dd (padded
 * intermediate) or ee (fake TLS: ee + 16 bytes + a domain name), in hex, base64 or base64url.
 * The secret is a password: no message here ever contains it, nor the link that holds it.
 */
import { UsageError } from "./errors.ts";

const SUPPORTED =
  "32 hex digits, dd + 32 hex digits, or ee + 32 hex digits + the hex of a domain name (in hex or base64)";

/** A parsed MTProxy link; `secret` is a password. */
export interface MtproxyLink {
  host: string;
  port: number;
  /** The 16-byte key (without a dd prefix). */
  secret: Uint8Array;
  /** A dd or ee secret: the padded intermediate transport. */
  padded: boolean;
  /** An ee secret: fake TLS, with this domain as SNI. */
  domain?: string;
}

/** True when `text` is an MTProxy link (parse it with {@link parseMtproxyLink}). */
export function isMtproxyLink(text: string): boolean {
  return /^(tg:\/\/proxy|https?:\/\/(t|telegram)\.me\/proxy)([?/#]|$)/i.test(text.trim());
}

/**
 * Parses an MTProxy link; a bad link is a UsageError (exit 2).
 *
 * @example
 * ```ts
 * parseMtproxyLink("tg://proxy?server=1.2.3.4&port=443&secret=dd0123456789abcdef0123456789abcdef");
 * // { host: "1.2.3.4", port: 443, secret: <16 bytes>, padded: true }
 * ```
 */
export function parseMtproxyLink(raw: string): MtproxyLink {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UsageError("Invalid MTProxy link: expected tg://proxy?server=HOST&port=PORT&secret=SECRET");
  }
  const q = url.searchParams;
  const host = (q.get("server") ?? "").replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new UsageError("Invalid MTProxy link: no server=");
  const portText = q.get("port") ?? "";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new UsageError("Invalid MTProxy link: port= must be a number from 1 to 65535");
  }
  // a query turns the "+" of standard base64 into a space
  const text = (q.get("secret") ?? "").replace(/ /g, "+");
  if (!text) throw new UsageError("Invalid MTProxy link: no secret=");
  const bytes = _decode(text);
  if (bytes?.[0] === 0xee && bytes.length > 17) {
    const domain = _domain(bytes.subarray(17));
    if (!domain) {
      throw new UsageError("Invalid MTProxy link: the fake-TLS (ee) secret does not end in a domain name");
    }
    return { host, port, secret: bytes.slice(1, 17), padded: true, domain };
  }
  if (bytes?.length === 16) return { host, port, secret: bytes, padded: false };
  if (bytes?.length === 17 && bytes[0] === 0xdd) {
    return { host, port, secret: bytes.slice(1), padded: true };
  }
  throw new UsageError(`Invalid MTProxy link: the secret must be ${SUPPORTED}`);
}

/** The domain a fake-TLS secret carries (sent as SNI), if it is a plausible host name. */
function _domain(bytes: Uint8Array): string | undefined {
  const name = String.fromCharCode(...bytes);
  return name.length <= 253 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(name)
    ? name
    : undefined;
}

/** Hex first (as Telegram apps read it), then base64 or base64url; undefined if neither. */
function _decode(text: string): Uint8Array | undefined {
  if (/^([0-9a-f]{2})+$/i.test(text)) {
    return Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const b64 = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  if (b64.length % 4 === 1) return undefined;
  try {
    return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
