/** Worker of crypto_offload.ts: encrypts big server->client messages off the fake DC's main thread. */
import { encryptMessage } from "./crypto.ts";

interface _Job {
  id: number;
  authKey: Uint8Array;
  keyId: Uint8Array;
  plain: Uint8Array;
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<_Job>) => void) | null;
  postMessage(msg: unknown, transfer: Transferable[]): void;
};
scope.onmessage = (e) => {
  const { id, authKey, keyId, plain } = e.data;
  const frame = encryptMessage(authKey, keyId, plain);
  scope.postMessage({ id, frame }, [frame.buffer as ArrayBuffer]);
};
