/**
 * Crypto worker: decrypts big MTProto messages (file parts) in place for lib/telegram/fast_decrypt.ts,
 * so AES-IGE runs beside the main thread's sockets, TL parsing and file writes.
 */
import { serveWorker } from "../lib/engine/serve_worker.ts";
import { decryptInPlace, type DecryptResult, type DecryptTask } from "../lib/telegram/ige_in_place.ts";

serveWorker<DecryptTask, DecryptResult, never>((task, ctx) => {
  const res = decryptInPlace(task);
  ctx.transfer([res.buffer]);
  return Promise.resolve(res);
});
