import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Api } from "telegram/tl/index.js";
import { loadWorld } from "../world/index.ts";
import { cluster } from "../_handlers_util.ts";
import { layerFor, serializeResult } from "./tl.ts";
import { fastBytes, RawTl } from "./fast_tl.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

for (const layer of [198, 144]) {
  Deno.test(`server answers are byte-identical to GramJS getBytes (layer ${layer})`, async () => {
    const w = await loadWorld("gen:chats=4,messages=300,files=20,file_size=1MB,forum=1,comments=1", {
      seed: 3,
    });
    const c = cluster(w);
    const me = c.key(w.selfUserId);
    const extra = { L: layerFor(layer) };
    const d: Json = await c.call(
      me,
      "messages.GetDialogs",
      { offsetPeer: new Api.InputPeerEmpty(), limit: 100 },
      2,
      extra,
    );
    assert.deepEqual(Buffer.from(serializeResult(d)), d.getBytes());
    let pages = 0;
    for (const ch of d.chats) {
      const peer = ch.className === "Chat"
        ? new Api.InputPeerChat({ chatId: ch.id })
        : new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash });
      for (let offsetId = 0;;) {
        // twice: the second answer may come from caches and must still equal a fresh serialization
        const r: Json = await c.call(me, "messages.GetHistory", { peer, offsetId, limit: 100 }, 2, extra);
        assert.deepEqual(Buffer.from(serializeResult(r)), r.getBytes());
        const again: Json = await c.call(me, "messages.GetHistory", { peer, offsetId, limit: 100 }, 2, extra);
        assert.deepEqual(Buffer.from(serializeResult(again)), r.getBytes());
        if (!r.messages.length) break;
        pages++;
        offsetId = r.messages.at(-1).id;
      }
    }
    assert.ok(pages > 4);
  });
}

Deno.test("fast writer: raw bytes pass through, odd values fall back to GramJS", () => {
  const raw = new Uint8Array([1, 2, 3, 4]);
  assert.deepEqual(fastBytes(new RawTl(raw)), raw);
  // a negative long and unicode text
  const m = new Api.Message({
    id: 1,
    peerId: new Api.PeerUser({ userId: -5 as never }),
    date: 0,
    message: "привет 👋".repeat(40),
  });
  assert.deepEqual(Buffer.from(fastBytes(m)), m.getBytes());
});
