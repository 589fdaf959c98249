/**
 * Signed links: HMAC-SHA256 with the server's secret over a resource path and an expiry time,
 * checked in constant time. A link to `/f/<chat>/<message>/<name>` signs `/<chat>/<message>`, so
 * the file, its thumbnail and its metadata share one signature and a renamed file name (which
 * the server never trusts) does not break it.
 */

/** The query parameters of a signed link. */
export interface Signature {
  /** Expiry, unix seconds. */
  exp: number;
  /** base64url HMAC-SHA256 of `${resource}\n${exp}`. */
  sig: string;
}

/** A key for {@link signResource} and {@link verifyResource}, from the secret's bytes. */
export async function signingKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (secret.length < 16) throw new RangeError("A serve secret needs at least 16 bytes");
  return await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** Signs `resource` (e.g. `/channel/42`) until `exp` (unix seconds). */
export async function signResource(key: CryptoKey, resource: string, exp: number): Promise<Signature> {
  if (!Number.isSafeInteger(exp) || exp < 0) throw new RangeError(`Invalid expiry ${exp}`);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, _message(resource, exp)));
  return { exp, sig: _b64url(mac) };
}

/**
 * Whether `exp` and `sig` (raw query values, possibly missing) sign `resource` and have not
 * expired at `nowS`. The MAC is compared by crypto.subtle.verify, in constant time.
 */
export async function verifyResource(
  key: CryptoKey,
  resource: string,
  q: { exp: string | null; sig: string | null },
  nowS: number,
): Promise<boolean> {
  if (q.exp === null || q.sig === null || !/^[0-9]{1,15}$/.test(q.exp)) return false;
  const mac = _unb64url(q.sig);
  // a wrong length cannot match; verify still runs so every failure costs the same
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    mac && mac.length === 32 ? mac : new Uint8Array(32),
    _message(resource, Number(q.exp)),
  );
  return ok && mac !== undefined && mac.length === 32 && Number(q.exp) >= nowS;
}

function _message(resource: string, exp: number): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${resource}\n${exp}`);
}

function _b64url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function _unb64url(s: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) return undefined;
  try {
    const bin = atob(s.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - s.length % 4) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
