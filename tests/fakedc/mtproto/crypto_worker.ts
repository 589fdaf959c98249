/// <reference lib="deno.worker" />
/** Worker of crypto_offload.ts: encrypts big server->client messages off the fake DC's main thread. */
import { encryptMessage } from "./crypto.ts";

interface _Job {
  id: number;
  authKey: Uint8Array;
  keyId: Uint8Array;
  plain: Uint8Array;
}

self.onmessage = (e: MessageEvent<_Job>) => {
  const { id, authKey, keyId, plain } = e.data;
  const frame = encryptMessage(authKey, keyId, plain);
  self.postMessage({ id, frame }, [frame.buffer as ArrayBuffer]);
};
