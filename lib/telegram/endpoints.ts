/**
 * The test seam: where tgpipe's Telegram client connects when it is not talking to Telegram.
 * One setting (`telegram_endpoints`, env TGPIPE_TELEGRAM_ENDPOINTS) holds a DC map and the
 * server's RSA key as JSON; unset, tgpipe uses stock GramJS and Telegram's own DCs and keys.
 * See docs/telegram-seam.md.
 */

/** Host and port of one DC. */
export interface DcAddress {
  host: string;
  port: number;
}

/** The server RSA key the auth-key exchange must accept (decimal strings, as Telegram prints them). */
export interface RsaKeySpec {
  /** Signed 64-bit decimal fingerprint, e.g. "-3414540481677951611". */
  fingerprint: string;
  /** Modulus as a decimal string. */
  n: string;
  e: number;
}

/** Parsed TGPIPE_TELEGRAM_ENDPOINTS: DC id -> address, plus an optional extra RSA key. */
export interface TelegramEndpoints {
  dcs: Record<number, DcAddress>;
  rsa?: RsaKeySpec;
}

/**
 * Parses the `telegram_endpoints` setting; throws RangeError (exit 2) naming what is wrong.
 *
 * @example
 * ```ts
 * const ep = parseEndpoints('{"dcs":{"2":{"host":"127.0.0.1","port":4430}}}');
 * ep.dcs[2].port; // 4430
 * ```
 */
export function parseEndpoints(text: string): TelegramEndpoints {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RangeError(`telegram_endpoints is not valid JSON: ${(err as Error).message}`);
  }
  if (!_isObject(raw) || !_isObject(raw.dcs)) {
    throw new RangeError('telegram_endpoints must be an object with a "dcs" map');
  }
  const dcs: Record<number, DcAddress> = {};
  for (const [key, value] of Object.entries(raw.dcs)) {
    const id = Number(key);
    if (!Number.isInteger(id) || id <= 0) throw new RangeError(`telegram_endpoints: bad DC id "${key}"`);
    if (!_isObject(value) || typeof value.host !== "string" || value.host === "") {
      throw new RangeError(`telegram_endpoints: DC ${id} needs a "host" string`);
    }
    const port = Number(value.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new RangeError(`telegram_endpoints: DC ${id} needs a "port" between 1 and 65535`);
    }
    dcs[id] = { host: value.host, port };
  }
  if (Object.keys(dcs).length === 0) throw new RangeError("telegram_endpoints: the dcs map is empty");
  return raw.rsa === undefined ? { dcs } : { dcs, rsa: _parseRsa(raw.rsa) };
}

function _parseRsa(raw: unknown): RsaKeySpec {
  if (!_isObject(raw)) throw new RangeError("telegram_endpoints: rsa must be an object");
  const fingerprint = String(raw.fingerprint ?? "");
  const n = String(raw.n ?? "");
  const e = Number(raw.e ?? 65537);
  if (!/^-?\d+$/.test(fingerprint)) {
    throw new RangeError("telegram_endpoints: rsa.fingerprint must be a signed decimal");
  }
  if (!/^\d{10,}$/.test(n)) throw new RangeError("telegram_endpoints: rsa.n must be a decimal modulus");
  if (!Number.isInteger(e) || e < 3) throw new RangeError("telegram_endpoints: rsa.e must be an integer");
  return { fingerprint, n, e };
}

function _isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
