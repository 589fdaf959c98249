/**
 * Parses a stored session string into GramJS's StringSession and refuses one that cannot work
 * (truncated, random, an unknown DC) before any connection is made: such a string would
 * otherwise be sent to some address with a key no server knows, and the run would wait.
 */
import { StringSession } from "telegram/sessions/index.js";
import { LoginRequiredError } from "../core/errors.ts";

/** The length of an MTProto auth key. */
const AUTH_KEY_BYTES = 256;
/**
 * GramJS stores a key in its shortest big-endian form, so about one key in 256 (a leading zero
 * byte) is 255 bytes, one in 65,536 is 254: those are whole keys. Shorter is a cut string.
 */
const MIN_KEY_BYTES = AUTH_KEY_BYTES - 8;
/** Telegram's production DCs. */
const TELEGRAM_DCS = [1, 2, 3, 4, 5];

/**
 * Returns the parsed session; "" gives a fresh, logged-out one. `knownDcs` are the DC ids a
 * session may live on (the test seam's map), Telegram's five by default. A string that is not
 * a usable session throws LoginRequiredError (exit 4), whose message holds none of the string.
 */
export function parseSession(text: string, knownDcs?: number[]): StringSession {
  let session: StringSession;
  let key: unknown;
  try {
    session = new StringSession(text);
    // the raw key bytes, before load() wraps them in an AuthKey
    key = (session as unknown as { _key?: Uint8Array })._key;
  } catch {
    throw _bad();
  }
  if (text === "") return session;
  const dcs = knownDcs ?? TELEGRAM_DCS;
  if (
    !(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES || key.length > AUTH_KEY_BYTES ||
    !dcs.includes(session.dcId)
  ) {
    throw _bad();
  }
  return session;
}

function _bad(): LoginRequiredError {
  // the string itself is a secret: do not echo any of it
  return new LoginRequiredError("The session string is not valid; run `tgpipe login` again", "bad_session");
}
