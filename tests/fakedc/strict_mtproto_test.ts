/**
 * The fake DC refuses what Telegram refuses in a client message: a wrong salt (bad_server_salt
 * with the right one), a query with an even seqno (bad_msg_notification 35, the query not run), and
 * padding outside MTProto 2.0's 12..1024 bytes (the connection dropped). Driven by hand-made
 * packets (lib/telegram's early MTProto code), so each rule is seen on its own.
 */
import assert from "node:assert/strict";
import { encryptPadded } from "../../lib/telegram/early_crypto.ts";
import { EarlyMtproto } from "../../lib/telegram/early_mtproto.ts";
import { initParams, selfRequest } from "../../lib/telegram/early_request.ts";
import { TlReader, TlWriter } from "../../lib/telegram/early_tl.ts";
import { startFakeTelegram } from "./cluster.ts";
import { readExactly } from "../_helpers/proxy_server.ts";

const BAD_SERVER_SALT = 0xedab447b, BAD_MSG_NOTIFICATION = 0xa7eff811, RPC_RESULT = 0xf35c6d01;

Deno.test("fake DC: bad_server_salt for a wrong salt, error 35 for an even seqno on a query, hangs up on bad padding", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=1" });
  const session = tg.env.TGPIPE_SESSION;
  const b = Uint8Array.from(atob(session.slice(1)), (c) => c.charCodeAt(0));
  const mt = new EarlyMtproto(b.slice(b.length - 256));
  const conn = await Deno.connect({ hostname: tg.dcs[0].host, port: tg.dcs[0].port });
  const body = selfRequest(initParams(Number(tg.env.TGPIPE_API_ID)));
  const send = async (seqno: number, pad: number) => {
    const msgId = mt.newMsgId();
    const plain = new TlWriter().long(mt.salt).raw(mt.sessionId).long(msgId).int(seqno).int(body.length).raw(
      body,
    )
      .raw(new Uint8Array(pad)).done();
    const packet = encryptPadded(mt.authKey, mt.keyId, plain);
    await conn.write(new TlWriter().int(packet.length).raw(packet).done());
    return msgId;
  };
  /** The server's next word on `msgId` (bad_server_salt, bad_msg_notification or its rpc_result): [ctor, code, salt]. */
  const answer = async (msgId: bigint) => {
    for (;;) {
      const len = new DataView((await readExactly(conn, 4)).buffer).getInt32(0, true);
      for (const m of mt.unpack(await readExactly(conn, len))) {
        const r = new TlReader(m.body);
        const ctor = r.uint();
        // the query's answer instead of a refusal: the server ran it
        if (ctor === RPC_RESULT && r.long() === msgId) return [ctor, 0, 0n] as const;
        if ((ctor === BAD_SERVER_SALT || ctor === BAD_MSG_NOTIFICATION) && r.long() === msgId) {
          r.int();
          const code = r.int();
          return [ctor, code, ctor === BAD_SERVER_SALT ? r.long() : 0n] as const;
        }
      }
    }
  };
  try {
    await conn.write(new Uint8Array([0xee, 0xee, 0xee, 0xee]));
    // 32 header bytes + the body: padding to whole blocks, at least 12
    const pad = 12 + ((16 - ((32 + body.length + 12) % 16)) % 16);
    const [ctor, code, salt] = await answer(await send(1, pad));
    assert.deepEqual([ctor, code], [BAD_SERVER_SALT, 48]);
    mt.salt = salt;
    assert.deepEqual((await answer(await send(2, pad))).slice(0, 2), [BAD_MSG_NOTIFICATION, 35]);
    assert.equal(tg.stats.rpcs, 0, "the even-seqno query was not run");
    // 4 bytes of padding (whole blocks, but under MTProto 2.0's 12): Telegram drops the connection
    await send(3, pad - 16 >= 0 ? pad - 16 : pad + 1040);
    assert.equal(await conn.read(new Uint8Array(64)), null, "connection closed");
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
    await tg.close();
  }
});
