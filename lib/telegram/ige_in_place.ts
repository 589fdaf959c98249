/**
 * The hot half of receiving an MTProto message: AES-256-IGE decryption written back into the
 * packet's own buffer, and the msg_key check (SHA-256 of auth-key bytes + plaintext) without
 * concatenating them. @mtcute/wasm's ige256Decrypt allocates a fresh result and GramJS then
 * concatenates a second copy for the hash: two throwaway megabytes per 1 MB file part, which is
 * what filled the heap between collections. Runs on the main thread or in workers/crypto_worker.ts.
 */
import { createHash } from "node:crypto";
import { __getWasm } from "@mtcute/wasm";
import { loadMtcuteWasm } from "./mtcute_wasm.ts";

/** One decryption: `length` bytes at `offset` of `buffer`, replaced by their plaintext. */
export interface DecryptTask {
  buffer: ArrayBuffer;
  offset: number;
  length: number;
  key: Uint8Array;
  iv: Uint8Array;
  /** auth_key[96..128]: the server-to-client msg_key covers these bytes, then the plaintext. */
  authPart: Uint8Array;
  msgKey: Uint8Array;
}

/** The buffer back (it was moved to a worker and back) and whether msg_key matched. */
export interface DecryptResult {
  buffer: ArrayBuffer;
  ok: boolean;
}

/** The raw exports of @mtcute/wasm this module uses. */
export interface MtcuteWasm {
  memory: WebAssembly.Memory;
  __malloc(n: number): number;
  __free(p: number): void;
  __get_shared_key_buffer(): number;
  __get_shared_iv_buffer(): number;
  ige256_decrypt(input: number, len: number, output: number): void;
}

let _wasm: MtcuteWasm | undefined;
// One scratch area per thread (input then output), grown to the largest packet seen.
let _scratch = 0;
let _scratchSize = 0;

/** @mtcute/wasm, initialised once per thread (fast_ige.ts uses the same instance). */
export function mtcuteWasm(): MtcuteWasm {
  if (_wasm) return _wasm;
  loadMtcuteWasm();
  _wasm = __getWasm() as unknown as MtcuteWasm;
  return _wasm;
}

/** Decrypts in place and checks msg_key; the buffer keeps its ciphertext-sized length (padding included). */
export function decryptInPlace(task: DecryptTask): DecryptResult {
  const { buffer, offset, length } = task;
  if (length % 16 !== 0) return { buffer, ok: false };
  const w = mtcuteWasm();
  if (_scratchSize < length) {
    if (_scratch) w.__free(_scratch);
    _scratch = w.__malloc(length * 2);
    _scratchSize = length;
  }
  // malloc may grow the memory, which replaces its ArrayBuffer: take the view afterwards
  const mem = new Uint8Array(w.memory.buffer);
  const data = new Uint8Array(buffer, offset, length);
  mem.set(data, _scratch);
  mem.set(task.key, w.__get_shared_key_buffer());
  mem.set(task.iv, w.__get_shared_iv_buffer());
  const out = _scratch + length;
  w.ige256_decrypt(_scratch, length, out);
  const plain = mem.subarray(out, out + length);
  data.set(plain);
  const hash = createHash("sha256").update(task.authPart).update(plain).digest();
  let ok = true;
  for (let i = 0; i < 16; i++) if (hash[8 + i] !== task.msgKey[i]) ok = false;
  return { buffer, ok };
}
