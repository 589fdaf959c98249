import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import igeModule from "telegram/crypto/IGE.js";
import { installFastIge, uninstallFastIge } from "../../lib/telegram/fast_ige.ts";

type IgeClass = new (key: Buffer, iv: Buffer) => {
  encryptIge(b: Buffer): Buffer;
  decryptIge(b: Buffer): Buffer;
};

function _bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  return b;
}

Deno.test("fast IGE gives the same bytes as GramJS's IGE both ways", () => {
  const mod = igeModule as { IGE: IgeClass };
  uninstallFastIge();
  const JsIge = mod.IGE;
  installFastIge();
  try {
    const WasmIge = mod.IGE;
    assert.notEqual(WasmIge, JsIge);
    const key = _bytes(32, 1);
    const iv = _bytes(32, 2);
    const plain = _bytes(4096 + 48, 3);
    const expected = new JsIge(key, iv).encryptIge(plain);
    const got = new WasmIge(key, iv).encryptIge(plain);
    assert.ok(Buffer.isBuffer(got));
    assert.deepEqual(Buffer.from(got), Buffer.from(expected));
    assert.deepEqual(Buffer.from(new WasmIge(key, iv).decryptIge(expected)), plain);
    assert.deepEqual(Buffer.from(new JsIge(key, iv).decryptIge(got)), plain);
  } finally {
    uninstallFastIge();
  }
});

Deno.test("fast IGE pads plaintext to 16 bytes like GramJS", () => {
  installFastIge();
  try {
    const Ige = (igeModule as { IGE: IgeClass }).IGE;
    const out = new Ige(_bytes(32, 4), _bytes(32, 5)).encryptIge(_bytes(20, 6));
    assert.equal(out.length, 32);
  } finally {
    uninstallFastIge();
  }
});
