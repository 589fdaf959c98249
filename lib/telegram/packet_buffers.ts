/**
 * Reusable buffers for big incoming packets (file parts). A fresh megabyte per part is freed only
 * when V8 next collects, and V8 lets tens of megabytes of such garbage pile up first: that was
 * most of a download's memory above its baseline. FastSocket reads big packets into these; the
 * part's bytes are decrypted in place (fast_decrypt.ts), written by the engine, then released here.
 */
import { Buffer } from "node:buffer";

/** Packets at least this big come from the pool. */
export const PACKET_POOL_MIN = 64 * 1024;
// a 1 MB part plus MTProto's headers and up to 1 KB of padding
const CAPACITY = (1 << 20) + 64 * 1024;
const MAX_FREE = 16;

const _free: ArrayBuffer[] = [];
const _ours = new WeakSet<ArrayBuffer>();

/** A Buffer of exactly `n` bytes, over a pooled ArrayBuffer when `n` is in the pool's range. */
export function takePacketBuffer(n: number): Buffer {
  if (n < PACKET_POOL_MIN || n > CAPACITY) return Buffer.allocUnsafe(n);
  let ab = _free.pop();
  if (!ab) {
    ab = new ArrayBuffer(CAPACITY);
    _ours.add(ab);
  }
  return Buffer.from(ab, 0, n);
}

/** True for the ArrayBuffer of a pooled packet (its owner may move it to a worker). */
export function isPacketBuffer(ab: ArrayBufferLike): boolean {
  return _ours.has(ab as ArrayBuffer);
}

/** Marks a pooled buffer that came back from a worker (a transfer makes a new ArrayBuffer object). */
export function adoptPacketBuffer(ab: ArrayBuffer): void {
  if (ab.byteLength === CAPACITY) _ours.add(ab);
}

/** Gives a packet's buffer back once nothing reads `bytes` (or any other view of it) any more. */
export function releasePacketBuffer(bytes: Uint8Array): void {
  const ab = bytes.buffer as ArrayBuffer;
  // detached (moved to a worker), foreign, or already back: never hand one buffer out twice
  if (!_ours.has(ab) || ab.byteLength !== CAPACITY || _free.length >= MAX_FREE || _free.includes(ab)) return;
  _free.push(ab);
}

/** Buffers waiting for reuse (tests). */
export function freePacketBuffers(): number {
  return _free.length;
}
