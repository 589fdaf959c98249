/**
 * Swaps GramJS's pure-JS AES-IGE (about 30 MB/s per core) for @mtcute/wasm's. Every MTProto
 * message is IGE-encrypted, so this is the CPU cost of downloads and uploads.
 */
import { Buffer } from "node:buffer";
import { ige256Decrypt, ige256Encrypt } from "@mtcute/wasm";
import igeModule from "telegram/crypto/IGE.js";
import { mtcuteWasm } from "./ige_in_place.ts";

let _installed = false;
let _original: unknown;

/** AES-256-IGE with GramJS's IGE interface (Buffer in, Buffer out), backed by WASM. */
class WasmIge {
  #key: Uint8Array;
  #iv: Uint8Array;

  constructor(key: Uint8Array, iv: Uint8Array) {
    this.#key = key;
    this.#iv = iv;
  }

  decryptIge(cipherText: Uint8Array): Buffer {
    const out = ige256Decrypt(cipherText, this.#key, this.#iv);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }

  encryptIge(plainText: Uint8Array): Buffer {
    // GramJS pads with random bytes to a 16-byte multiple here; MTProtoState relies on it.
    const padding = plainText.length % 16;
    let data = plainText;
    if (padding) {
      data = new Uint8Array(plainText.length + 16 - padding);
      data.set(plainText);
      crypto.getRandomValues(data.subarray(plainText.length));
    }
    const out = ige256Encrypt(data, this.#key, this.#iv);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
}

/**
 * Makes every GramJS client in this process use WASM AES-IGE. Idempotent; called by
 * openClient, so callers rarely need it directly.
 */
export function installFastIge(): void {
  if (_installed) return;
  mtcuteWasm();
  const mod = igeModule as { IGE: unknown };
  _original = mod.IGE;
  // GramJS reads `IGE_1.IGE` at each use (network/MTProtoState.js, Authenticator.js), so
  // replacing the export switches every later encryption without touching node_modules.
  mod.IGE = WasmIge;
  _installed = true;
}

/** Puts GramJS's own IGE back (benchmarks compare both in one process). */
export function uninstallFastIge(): void {
  if (!_installed) return;
  (igeModule as { IGE: unknown }).IGE = _original;
  _installed = false;
}
