/**
 * fast_decrypt.ts and ige_in_place.ts: in-place decryption equals @mtcute/wasm's, a wrong msg_key
 * is refused, and a client downloading from the fake DC gets the exact bytes with big messages
 * decrypted in crypto workers (on machines with a core to spare), which stop when it closes.
 */
import assert from "node:assert/strict";
import { openFakeDcClient } from "./_open_client.ts";
import bigInt from "big-integer";
import { Api } from "telegram";
import { getWasmUrl, ige256Decrypt, ige256Encrypt, initSync } from "@mtcute/wasm";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { encryptMessage } from "../fakedc/mtproto/crypto.ts";
import { FilePool } from "../../lib/telegram/file_pool.ts";
import { inputLocation } from "../../lib/telegram/file_source.ts";
import { fetchMessageFiles } from "../../lib/telegram/media_messages.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import {
  decryptWorkerCount,
  fastDecryptStats,
  setCryptoWorkerTestUrl,
} from "../../lib/telegram/fast_decrypt.ts";
import { decryptInPlace } from "../../lib/telegram/ige_in_place.ts";

function _bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
}

Deno.test("decryptInPlace: same plaintext as ige256Decrypt, written over the ciphertext", () => {
  initSync(Deno.readFileSync(getWasmUrl()));
  const key = _bytes(32, 1), iv = _bytes(32, 2);
  for (const n of [16, 4096, 1 << 20, (1 << 20) + 1040]) {
    const plain = _bytes(n, n);
    const cipher = ige256Encrypt(plain, key, iv);
    const packet = new Uint8Array(24 + n);
    packet.set(cipher, 24);
    const res = decryptInPlace({
      buffer: packet.buffer,
      offset: 24,
      length: n,
      key,
      iv,
      authPart: new Uint8Array(32),
      msgKey: new Uint8Array(16),
    });
    assert.equal(res.buffer, packet.buffer);
    assert.deepEqual(packet.subarray(24), plain, `size ${n}`);
    assert.deepEqual(packet.subarray(24), ige256Decrypt(cipher, key, iv));
  }
});

Deno.test("decryptInPlace: checks msg_key over auth key bytes + plaintext; refuses ragged lengths", () => {
  const authKey = _bytes(256, 7);
  const keyId = _bytes(8, 8);
  const frame = encryptMessage(authKey, keyId, _bytes(300_000, 9));
  const msgKey = frame.slice(8, 24);
  // derive key/iv the way MTProto 2.0 does for server->client (x = 8), from the fake DC's side
  const sha = async (...parts: Uint8Array[]) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) (all.set(p, o), o += p.length);
    return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  };
  return (async () => {
    const a = await sha(msgKey, authKey.subarray(8, 44));
    const b = await sha(authKey.subarray(48, 84), msgKey);
    const key = new Uint8Array([...a.subarray(0, 8), ...b.subarray(8, 24), ...a.subarray(24, 32)]);
    const iv = new Uint8Array([...b.subarray(0, 8), ...a.subarray(8, 24), ...b.subarray(24, 32)]);
    const task = (m: Uint8Array, f = frame.slice()) => ({
      buffer: f.buffer,
      offset: 24,
      length: f.length - 24,
      key,
      iv,
      authPart: authKey.subarray(96, 128),
      msgKey: m,
    });
    assert.equal(decryptInPlace(task(msgKey)).ok, true);
    const wrong = msgKey.slice();
    wrong[3] ^= 1;
    assert.equal(decryptInPlace(task(wrong)).ok, false);
    assert.equal(decryptInPlace({ ...task(msgKey), length: frame.length - 25 }).ok, false);
  })();
});

/**
 * Fetches the first MB of the world's big file through a fresh client and asserts the exact bytes;
 * returns fastDecryptStats() from before the client closed.
 */
async function _fetchBigPart(tg: FakeTelegram): Promise<ReturnType<typeof fastDecryptStats>> {
  const client = await openFakeDcClient(tg);
  const pool = new FilePool(client);
  try {
    const chat = await resolveChat(client, "gen_channel_0");
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
    const f = files.find((x) => x.size > 1 << 20)!;
    const w = tg.world.files.get(BigInt(f.location.id))!;
    const blob = w.kind === "document" ? w.blob : w.sizes.at(-1)!.blob;
    const want = await readBlob(blob, 0, 1 << 20);
    const res = await pool.call<Api.upload.File>(
      f.location.dcId,
      new Api.upload.GetFile({ location: inputLocation(f.location), offset: bigInt(0), limit: 1 << 20 }),
    );
    assert.deepEqual(new Uint8Array(res.bytes), want);
    return fastDecryptStats();
  } finally {
    await pool.close();
    await client.close();
  }
}

const WORLD = "gen:chats=1,messages=10,files=2,file_size=3MB,forum=0,comments=0,left=0";

Deno.test({
  name: "a client downloads exact bytes; big answers go to crypto workers, which stop on close",
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    try {
      const before = fastDecryptStats();
      const after = await _fetchBigPart(tg);
      if (decryptWorkerCount() > 0) {
        assert.ok(after.offloaded > before.offloaded, "the 1 MB answer went to a crypto worker");
        assert.equal(after.workersRunning, true);
      } else assert.equal(after.offloaded, before.offloaded);
      assert.ok(after.inline > before.inline, "small answers stay on the calling thread");
      assert.equal(fastDecryptStats().workersRunning, false, "workers stop with the last client");
    } finally {
      await tg.close();
    }
  },
});

Deno.test({
  name: "crypto workers that cannot start: big answers are decrypted on the calling thread, bytes exact",
  ignore: decryptWorkerCount() === 0,
  fn: async () => {
    const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
    setCryptoWorkerTestUrl(new URL("../engine/fixtures/broken_worker.ts", import.meta.url));
    try {
      const before = fastDecryptStats();
      const after = await _fetchBigPart(tg);
      assert.equal(after.offloaded, before.offloaded, "no answer counted as decrypted by a worker");
      assert.ok(after.inline > before.inline);
      assert.equal(after.workersRunning, false);
    } finally {
      setCryptoWorkerTestUrl(undefined);
      await tg.close();
    }
  },
});
