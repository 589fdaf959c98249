/**
 * The authorized auth keys of an account's other DCs, kept between runs as Telegram's own clients
 * do (one key per DC): a run that finds one skips the key exchange and the authorization import
 * there (0.75-1.9 s per run). One 0600 JSON file per session, named by a hash that binds it to the
 * session's home key, the API id and the endpoints (so a test DC's keys are never offered to
 * Telegram, nor one session's keys to another), never by a key. The keys are as secret as the
 * session: never printed or logged. A file that cannot be read or parsed counts as empty and is
 * replaced by the next write; a write that fails only costs the next run the import again.
 */
import { Buffer } from "node:buffer";
import { writeSecretFile } from "./write_secret_file.ts";
import { concatBytes } from "../core/concat_bytes.ts";
import { toHex } from "../core/to_hex.ts";

/** Where an account's DC keys are kept, and what they are bound to. */
export interface DcKeyScope {
  /** Directory of the store files (`<data dir>/dc-keys`). */
  dir: string;
  apiId: number;
  /** Raw telegram_endpoints JSON (the test seam); undefined = Telegram. */
  endpoints?: string;
}

/** The session a store belongs to: its home DC and that DC's auth key (a secret). */
export interface HomeKey {
  dcId: number;
  key: Uint8Array;
}

/** Bytes of an MTProto auth key: 256, or a few less in GramJS's shortest big-endian form. */
const KEY_BYTES = 256;
const MIN_KEY_BYTES = KEY_BYTES - 8;

/** The store file of the session `home` in `scope`: a SHA-256 prefix of what it is bound to. */
export async function dcKeyFile(scope: DcKeyScope, home: HomeKey): Promise<string> {
  const head = new TextEncoder().encode(
    `tgpipe dc-keys v1\0${scope.apiId}\0${scope.endpoints ?? "telegram"}\0${home.dcId}\0`,
  );
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", concatBytes([head, home.key])));
  const name = toHex(digest.subarray(0, 16));
  return `${scope.dir}/${name}.json`;
}

/** One session's stored DC keys (see module comment). */
export class DcKeyStore {
  /** The file this store reads and writes. */
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Opens the store of the session `home` in `scope` (nothing is read yet). */
  static async open(scope: DcKeyScope, home: HomeKey): Promise<DcKeyStore> {
    return new DcKeyStore(await dcKeyFile(scope, home));
  }

  /** The stored key of `dcId`, if any (read afresh: another process may have written since). */
  async get(dcId: number): Promise<Uint8Array | undefined> {
    return (await this.#read()).get(dcId);
  }

  /** Stores `key` as `dcId`'s authorized key. */
  async put(dcId: number, key: Uint8Array): Promise<void> {
    if (!_keySized(key)) throw new RangeError(`An auth key has ${KEY_BYTES} bytes, got ${key.length}`);
    const keys = await this.#read();
    keys.set(dcId, key);
    await this.#write(keys);
  }

  /** Forgets `dcId`'s key (the DC refused it). */
  async drop(dcId: number): Promise<void> {
    const keys = await this.#read();
    if (!keys.delete(dcId)) return;
    await this.#write(keys);
  }

  async #read(): Promise<Map<number, Uint8Array>> {
    const keys = new Map<number, Uint8Array>();
    let parsed: unknown;
    try {
      parsed = JSON.parse(await Deno.readTextFile(this.file));
    } catch {
      return keys; // missing, unreadable or torn: as if empty (the next write replaces it)
    }
    const raw = (parsed as { keys?: unknown } | null)?.keys;
    if (!raw || typeof raw !== "object") return keys;
    for (const [dc, b64] of Object.entries(raw)) {
      const dcId = Number(dc);
      if (!Number.isInteger(dcId) || dcId <= 0 || typeof b64 !== "string") continue;
      const key = Buffer.from(b64, "base64");
      if (_keySized(key)) keys.set(dcId, new Uint8Array(key));
    }
    return keys;
  }

  /** Writes the file atomically (writeSecretFile); an empty store is no file. */
  async #write(keys: Map<number, Uint8Array>): Promise<void> {
    if (keys.size === 0) {
      await Deno.remove(this.file).catch(() => {});
      return;
    }
    const body = {
      version: 1,
      keys: Object.fromEntries([...keys].map(([dc, k]) => [String(dc), Buffer.from(k).toString("base64")])),
    };
    await writeSecretFile(this.file, JSON.stringify(body) + "\n");
  }
}

function _keySized(key: Uint8Array): boolean {
  return key.length >= MIN_KEY_BYTES && key.length <= KEY_BYTES;
}
