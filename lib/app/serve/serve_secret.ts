/**
 * The secret `tgpipe serve` signs links with: `--secret` when given, else a random one generated
 * once and kept 0600 in the data directory (written like a session: temp file, then rename), so
 * links stay valid across restarts and `serve link` signs what the server accepts.
 */
import { UsageError } from "../../core/errors.ts";
import { saveSession } from "../../telegram/session_store.ts";
import { toHex } from "../../core/to_hex.ts";

/** The secret file in `dataDir`. */
export function secretFile(dataDir: string): string {
  return `${dataDir}/serve_secret`;
}

/** The secret's bytes: `given` (at least 16 bytes), or the stored one (created when missing). */
export async function loadSecret(
  given: string | undefined,
  dataDir: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (given !== undefined) {
    const bytes = new TextEncoder().encode(given);
    if (bytes.length < 16) throw new UsageError("--secret must be at least 16 bytes long");
    return bytes;
  }
  const file = secretFile(dataDir);
  try {
    const text = (await Deno.readTextFile(file)).trim();
    if (!/^[0-9a-f]{64}$/.test(text)) {
      throw new UsageError(
        `${file} is not a tgpipe serve secret (64 hex digits); remove it to make a new one`,
      );
    }
    return _hex(text);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const hex = toHex(crypto.getRandomValues(new Uint8Array(32)));
  await saveSession(file, hex);
  return _hex(hex);
}

function _hex(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16));
}
