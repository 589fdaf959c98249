import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import { DEV_BLOB_SIZE, DEV_SELF, startDev } from "./_dev_cluster.ts";
import { devBlob } from "./_dev_handlers.ts";
import { type GramjsTransport, openGramjs } from "./_gramjs_client.ts";
import { FAKE_API_HASH, FAKE_API_ID } from "./cluster.ts";

const docLocation = () =>
  new Api.InputDocumentFileLocation({
    id: bigInt(555),
    accessHash: bigInt(666),
    fileReference: Buffer.from([1, 2, 3]),
    thumbSize: "",
  });

for (const transport of ["full", "abridged", "obfuscated"] as GramjsTransport[]) {
  Deno.test(`GramJS (${transport}) creates an auth key, logs in and calls`, async () => {
    const tg = await startDev();
    const h = await openGramjs(tg, { transport, session: "" });
    try {
      assert.equal(tg.stats.handshakes, 1);
      await h.client.invoke(
        new Api.auth.ImportBotAuthorization({
          flags: 0,
          apiId: Number(FAKE_API_ID),
          apiHash: FAKE_API_HASH,
          botAuthToken: "123456:TEST",
        }),
      );
      const me = await h.client.getMe();
      assert.equal(me.id.toString(), DEV_SELF.toString());
      const pong = await h.client.invoke(new Api.Ping({ pingId: bigInt(77) }));
      assert.equal(pong.pingId.toString(), "77");
      assert.ok(tg.stats.badServerSalt >= 1 && tg.stats.newSessionCreated >= 1);
      assert.deepEqual([...tg.unimplemented], []);
    } finally {
      await h.close();
      await tg.close();
    }
  });
}

Deno.test("GramJS downloads from the media DC via FILE_MIGRATE and export/importAuthorization", async () => {
  const tg = await startDev();
  const h = await openGramjs(tg);
  try {
    const data = await h.client.downloadFile(docLocation(), { dcId: 2, fileSize: bigInt(DEV_BLOB_SIZE) });
    assert.ok(data instanceof Uint8Array);
    assert.equal(Buffer.compare(Buffer.from(data), Buffer.from(devBlob(DEV_BLOB_SIZE))), 0);
    // A new key was made on DC 4 (the home key is not valid there) and logged in by import.
    const onDc4 = [...tg.registry.values()].filter((r) => r.dcId === 4);
    assert.equal(onDc4.length, 1);
    assert.equal(onDc4[0].userId, DEV_SELF);
  } finally {
    await h.close();
    await tg.close();
  }
});

Deno.test("GramJS gets gzip_packed answers and containers", async () => {
  const tg = await startDev();
  const h = await openGramjs(tg);
  try {
    const r = await h.client.invoke(new Api.help.GetAppConfig({ hash: 0 }));
    assert.equal(r.className, "help.AppConfig");
    assert.equal(tg.stats.gzipOut, 1);
    await Promise.all([h.client.getMe(), h.client.getMe(), h.client.invoke(new Api.help.GetConfig())]);
    assert.ok(tg.stats.containersOut >= 1);
  } finally {
    await h.close();
    await tg.close();
  }
});

Deno.test("GramJS with a skewed clock is corrected by bad_msg_notification", async () => {
  const tg = await startDev({ clockOffsetMs: 600_000 });
  const h = await openGramjs(tg);
  try {
    const me = await h.client.getMe();
    assert.equal(me.id.toString(), DEV_SELF.toString());
    assert.ok(tg.stats.badMsgNotification >= 1);
  } finally {
    await h.close();
    await tg.close();
  }
});
