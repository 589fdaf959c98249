import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram/tl/index.js";
import { openRaw, startDev } from "./_dev_cluster.ts";
import { RawClient } from "./_raw_client.ts";
import { DEFAULT_LAYER, LayerReader } from "./mtproto/tl.ts";
import type { TransportKind } from "./mtproto/transport.ts";

const CTOR = {
  badSalt: 0xedab447b,
  badMsg: 0xa7eff811,
  newSession: 0x9ec20908,
  container: 0x73f1f8dc,
  ack: 0x62d6b459,
  pong: 0x347773c5,
};
const getConfig = () => new Api.help.GetConfig().getBytes();
// deno-lint-ignore no-explicit-any
const parse = (b: Uint8Array): any => new LayerReader(b, DEFAULT_LAYER).tgReadObject();
const ctors = (c: RawClient) => c.received.map((m) => m.ctor);

Deno.test("first message gets bad_server_salt, then new_session_created and the answer in a container", async () => {
  const tg = await startDev();
  const c = await openRaw(tg);
  try {
    const out = await c.call(getConfig());
    assert.equal(out.kind, "result");
    assert.equal(parse(out.kind === "result" ? out.body : new Uint8Array()).className, "Config");
    const seen = ctors(c);
    assert.equal(seen[0], CTOR.badSalt, "wrong salt is answered first");
    assert.ok(seen.includes(CTOR.newSession));
    assert.ok(seen.includes(CTOR.container) && seen.includes(CTOR.ack), "acks travel in containers");
    assert.equal(tg.stats.badServerSalt, 1);
    assert.equal(tg.stats.newSessionCreated, 1);
    // The same session does not get new_session_created again.
    await c.call(getConfig());
    assert.equal(tg.stats.newSessionCreated, 1);
    // Server msg_ids are odd and increasing.
    const ids = c.received.map((m) => m.msgId);
    assert.ok(ids.every((id) => id % 2n === 1n));
  } finally {
    await c.close();
    await tg.close();
  }
});

Deno.test("server salts rotate and the client is told the new one", async () => {
  // The server's clock moves only when the test moves it: a busy machine pausing between a
  // bad_server_salt and the retry cannot let another period pass and change the count.
  let at = Date.now();
  const tg = await startDev({ saltPeriodS: 0.5, clock: () => at });
  const c = await openRaw(tg);
  try {
    assert.equal((await c.call(getConfig())).kind, "result");
    const before = c.salt;
    at += 1100; // two periods: the old salt is no longer accepted
    assert.equal((await c.call(getConfig())).kind, "result");
    assert.notEqual(c.salt, before);
    assert.equal(tg.stats.badServerSalt, 2);
  } finally {
    await c.close();
    await tg.close();
  }
});

for (const [skewS, code] of [[-400, 16], [120, 17]] as const) {
  Deno.test(`a client clock ${skewS}s off gets bad_msg_notification ${code} and corrects itself`, async () => {
    const tg = await startDev();
    const c = await openRaw(tg);
    c.clockOffsetMs = skewS * 1000;
    try {
      const out = await c.call(getConfig());
      assert.equal(out.kind, "result");
      const bad = c.received.find((m) => m.ctor === CTOR.badMsg);
      assert.ok(bad, "bad_msg_notification sent");
      assert.equal(new DataView(bad.body.buffer, bad.body.byteOffset).getInt32(16, true), code);
      assert.ok(Math.abs(c.clockOffsetMs) < 2000, `offset corrected (${c.clockOffsetMs} ms)`);
    } finally {
      await c.close();
      await tg.close();
    }
  });
}

Deno.test("ping gets a bare pong; ping_delay_disconnect closes an idle connection", async () => {
  const tg = await startDev();
  const c = await openRaw(tg);
  try {
    await c.call(getConfig()); // settle the salt
    await c.send(new Api.Ping({ pingId: bigInt(4242) }).getBytes());
    await c.send(new Api.PingDelayDisconnect({ pingId: bigInt(4343), disconnectDelay: 1 }).getBytes());
    const t0 = performance.now();
    // waits for the close itself; the 60 s guard only keeps a server that never closes from
    // hanging the suite (a 3 s deadline failed whenever a busy machine was slower than that)
    while (!c.closed && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    const pongs = c.received.filter((m) => m.ctor === CTOR.pong).map((m) => parse(m.body).pingId.toString());
    assert.deepEqual(pongs.sort(), ["4242", "4343"]);
    assert.ok(c.closed, "closed after the disconnect delay");
    assert.ok(performance.now() - t0 >= 900);
  } finally {
    await c.close();
    await tg.close();
  }
});

Deno.test("large non-file answers are gzip_packed", async () => {
  const tg = await startDev();
  const c = await openRaw(tg);
  try {
    const out = await c.call(new Api.help.GetAppConfig({ hash: 0 }).getBytes());
    assert.equal(out.kind, "result");
    assert.equal(parse(out.kind === "result" ? out.body : new Uint8Array()).className, "help.AppConfig");
    assert.equal(tg.stats.gzipOut, 1);
  } finally {
    await c.close();
    await tg.close();
  }
});

Deno.test("unknown methods answer METHOD_NOT_IMPLEMENTED_IN_FAKE_DC and are recorded", async () => {
  const lines: string[] = [];
  const tg = await startDev({ log: (l) => lines.push(l), allowUnimplemented: ["messages.GetDialogFilters"] });
  const c = await openRaw(tg);
  try {
    const out = await c.call(new Api.messages.GetDialogFilters().getBytes());
    assert.equal(out.kind, "result");
    const err = parse(out.kind === "result" ? out.body : new Uint8Array());
    assert.equal(err.errorCode, 400);
    assert.equal(err.errorMessage, "METHOD_NOT_IMPLEMENTED_IN_FAKE_DC");
    assert.deepEqual([...tg.unimplemented], ["messages.GetDialogFilters"]);
    assert.ok(
      lines.some((l) => l.includes("!!! METHOD_NOT_IMPLEMENTED_IN_FAKE_DC: messages.GetDialogFilters")),
    );
  } finally {
    await c.close();
    await tg.close();
  }
});

Deno.test("closing a fake DC that was asked for an unimplemented method fails loudly", async () => {
  const tg = await startDev();
  const c = await openRaw(tg);
  try {
    await c.call(new Api.messages.GetDialogFilters().getBytes());
  } finally {
    await c.close();
    await assert.rejects(tg.close(), /does not implement: messages.GetDialogFilters/);
  }
});

Deno.test("a key is only valid on the DC that made it (-404 elsewhere, then the DC hangs up)", async () => {
  const tg = await startDev();
  const good = await openRaw(tg, { dcId: 4 });
  const port2 = tg.dcs.find((d) => d.id === 2)!.port;
  const wrong = await RawClient.open(port2, good.key, good.keyId);
  try {
    assert.equal((await good.call(getConfig())).kind, "result");
    assert.equal((await wrong.call(getConfig(), 2000)).kind, "closed");
    assert.deepEqual(wrong.transportErrors, [-404]);
  } finally {
    await good.close();
    await wrong.close();
    await tg.close();
  }
});

for (const transport of ["full", "intermediate", "padded", "abridged"] as TransportKind[]) {
  Deno.test(`transport ${transport} carries a 1 MB file part`, async () => {
    const tg = await startDev();
    const c = await openRaw(tg, { dcId: 4, transport });
    try {
      const req = new Api.upload.GetFile({
        location: new Api.InputDocumentFileLocation({
          id: bigInt(555),
          accessHash: bigInt(666),
          fileReference: Buffer.from([1, 2, 3]),
          thumbSize: "",
        }),
        offset: bigInt(1 << 20),
        limit: 1 << 20,
      });
      // a hang guard, not a deadline: 1 MB through JS CRC32 and IGE took over 2 s on a loaded machine
      const out = await c.call(req.getBytes(), 60_000);
      assert.equal(out.kind, "result");
      assert.equal(parse(out.kind === "result" ? out.body : new Uint8Array()).bytes.length, 1 << 20);
    } finally {
      await c.close();
      await tg.close();
    }
  });
}
