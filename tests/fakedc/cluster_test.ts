import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Api } from "telegram";
import { startFakeTelegram } from "./cluster.ts";
import { openGramjs } from "./_gramjs_client.ts";

const WORLD = "gen:chats=2,messages=40,files=4,file_size=600KB";

Deno.test("a world cluster serves GramJS history and media from both file DCs, and its env is complete", async () => {
  const tg = await startFakeTelegram({ world: WORLD, seed: 3 });
  const h = await openGramjs(tg, { session: tg.env.TGPIPE_SESSION });
  try {
    assert.deepEqual(tg.dcs.map((d) => d.id), [2, 1, 4]);
    assert.equal(tg.dcs.find((d) => d.id === 4)?.media, true);
    const ep = JSON.parse(tg.env.TGPIPE_TELEGRAM_ENDPOINTS);
    assert.equal(ep.dcs["2"].port, tg.dcs[0].port);
    assert.equal(ep.rsa.fingerprint, tg.rsa.fingerprint);
    assert.equal(ep.rsa.e, 65537);
    assert.match(tg.env.TGPIPE_API_HASH, /^[0-9a-f]{32}$/);
    const me = await h.client.getMe();
    assert.equal(me.id.toString(), tg.world.selfUserId.toString());
    const dialogs = await h.client.getDialogs({ limit: 50 });
    assert.ok(dialogs.length >= 2);
    const media: Api.Message[] = [];
    for (const d of dialogs) {
      for await (const m of h.client.iterMessages(d.entity, { limit: 200 })) if (m.document) media.push(m);
    }
    assert.ok(media.length >= 2);
    const dcsUsed = new Set(media.map((m) => (m.document as Api.Document).dcId));
    for (const m of media.slice(0, 4)) {
      const b = await h.client.downloadMedia(m, {});
      assert.ok(b instanceof Uint8Array || Buffer.isBuffer(b));
      assert.equal(BigInt(b.length), BigInt((m.document as Api.Document).size.toString()));
    }
    assert.ok(dcsUsed.size >= 1);
    assert.deepEqual([...tg.unimplemented], []);
  } finally {
    await h.close();
    await tg.close();
  }
});

Deno.test("sessionFor keys work only on the home DC and carry the user", async () => {
  const tg = await startFakeTelegram({ world: WORLD });
  try {
    const s = tg.sessionFor(tg.world.selfUserId);
    const raw = Buffer.from(s.slice(1), "base64");
    assert.equal(s[0], "1");
    assert.equal(raw.length, 263);
    assert.equal(raw[0], 2);
    assert.equal(raw.readUInt16BE(5), tg.dcs[0].port);
    const recs = [...tg.registry.values()];
    assert.ok(recs.every((r) => r.dcId === 2 && r.userId === tg.world.selfUserId));
  } finally {
    await tg.close();
  }
});
