import assert from "node:assert/strict";
import {
  adoptPacketBuffer,
  freePacketBuffers,
  isPacketBuffer,
  PACKET_POOL_MIN,
  releasePacketBuffer,
  takePacketBuffer,
} from "../../lib/telegram/packet_buffers.ts";

Deno.test("packet buffers: big packets reuse released buffers, never one buffer twice", () => {
  const small = takePacketBuffer(100);
  assert.equal(isPacketBuffer(small.buffer), false);
  const a = takePacketBuffer(PACKET_POOL_MIN + 10);
  assert.equal(a.length, PACKET_POOL_MIN + 10);
  assert.equal(isPacketBuffer(a.buffer), true);
  const free0 = freePacketBuffers();
  releasePacketBuffer(a.subarray(24, 100));
  releasePacketBuffer(a); // a second release of the same buffer is ignored
  assert.equal(freePacketBuffers(), free0 + 1);
  const b = takePacketBuffer(1 << 20);
  assert.equal(b.buffer, a.buffer, "the released buffer is reused");
  const c = takePacketBuffer(1 << 20);
  assert.notEqual(c.buffer, b.buffer);
  releasePacketBuffer(small); // not ours: ignored
  assert.equal(freePacketBuffers(), free0);
});

Deno.test("packet buffers: a buffer moved to a worker is not reused; one that came back is adopted", () => {
  const a = takePacketBuffer(1 << 20);
  const moved = structuredClone(a.buffer as ArrayBuffer, { transfer: [a.buffer as ArrayBuffer] });
  const free0 = freePacketBuffers();
  releasePacketBuffer(a); // detached
  assert.equal(freePacketBuffers(), free0);
  assert.equal(isPacketBuffer(moved), false);
  adoptPacketBuffer(moved);
  assert.equal(isPacketBuffer(moved), true);
  releasePacketBuffer(new Uint8Array(moved));
  assert.equal(freePacketBuffers(), free0 + 1);
  adoptPacketBuffer(new ArrayBuffer(10)); // not a packet buffer's size: ignored
  assert.equal(isPacketBuffer(new ArrayBuffer(10)), false);
});
