/**
 * Encrypts big messages (file parts) in worker threads. Telegram's DCs are not one thread: a
 * fake DC that encrypted every megabyte on its single JavaScript thread capped a download
 * benchmark at that thread's speed, whatever the client did. Small messages stay inline.
 */
import { encryptMessage } from "./crypto.ts";

const OFFLOAD_MIN = 64 * 1024;

let _workers: Worker[] = [];
let _next = 0;
let _users = 0;
let _seq = 0;
const _waiting = new Map<number, { resolve: (f: Uint8Array) => void; reject: (e: Error) => void }>();

/** Counts one user (a DC server) of the workers; the returned function releases it. */
export function useCryptoWorkers(): () => void {
  _users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--_users > 0) return;
    for (const w of _workers) w.terminate();
    _workers = [];
    for (const { reject } of _waiting.values()) reject(new Error("fake DC crypto workers stopped"));
    _waiting.clear();
  };
}

/** encryptMessage, in a worker when the message is big and the machine has cores to spare. */
export function encryptMessageAsync(
  authKey: Uint8Array,
  keyId: Uint8Array,
  plain: Uint8Array,
): Uint8Array | Promise<Uint8Array> {
  const cores = navigator.hardwareConcurrency ?? 1;
  if (plain.length < OFFLOAD_MIN || cores < 2 || _users === 0) return encryptMessage(authKey, keyId, plain);
  if (_workers.length === 0) {
    const n = Math.min(2, cores - 1);
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL("./crypto_worker.ts", import.meta.url), { type: "module" });
      w.onmessage = (e: MessageEvent<{ id: number; frame: Uint8Array }>) => {
        const job = _waiting.get(e.data.id);
        _waiting.delete(e.data.id);
        job?.resolve(e.data.frame);
      };
      _workers.push(w);
    }
  }
  const id = ++_seq;
  const w = _workers[_next++ % _workers.length];
  return new Promise((resolve, reject) => {
    _waiting.set(id, { resolve, reject });
    // plain is built per message by the outbox: move it, do not copy it
    w.postMessage({ id, authKey, keyId, plain }, [plain.buffer as ArrayBuffer]);
  });
}
