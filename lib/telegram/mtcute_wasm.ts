/**
 * Loads @mtcute/wasm once per thread, for everything that uses it (the early session check's
 * crypto, WASM AES-IGE, in-place decryption). No node: import: the early check runs before Deno's
 * Node layer is loaded.
 */
import { getWasmUrl, initSync } from "@mtcute/wasm";

let _loaded = false;

/** Instantiates the module on first use; later calls return at once (no second read of the file). */
export function loadMtcuteWasm(): void {
  if (_loaded) return;
  initSync(Deno.readFileSync(getWasmUrl()));
  _loaded = true;
}
