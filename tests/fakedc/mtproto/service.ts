/**
 * Serializers for MTProto service messages the server sends. Written by hand: they are
 * layer-independent and tiny, and building them as GramJS objects would cost more than it says.
 */

type Field = ["int", number] | ["long", bigint] | ["uint", number];

function _tl(fields: Field[]): Uint8Array {
  const size = fields.reduce((n, [t]) => n + (t === "long" ? 8 : 4), 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const [t, v] of fields) {
    if (t === "long") {
      dv.setBigInt64(o, v as bigint, true);
      o += 8;
    } else {
      if (t === "uint") dv.setUint32(o, v as number, true);
      else dv.setInt32(o, v as number, true);
      o += 4;
    }
  }
  return out;
}

/** Constructor ids of client->server service messages the server understands. */
export const SVC = {
  container: 0x73f1f8dc,
  gzip: 0x3072cfa1,
  msgsAck: 0x62d6b459,
  ping: 0x7abe77ec,
  pingDelayDisconnect: 0xf3427b8c,
  getFutureSalts: 0xb921bd04,
  destroySession: 0xe7512126,
  msgsStateReq: 0xda69fb52,
  msgResendReq: 0x7d861a08,
  httpWait: 0x9299359f,
  invokeWithLayer: 0xda9b0d0d,
} as const;

/** pong#347773c5 msg_id:long ping_id:long */
export function pong(msgId: bigint, pingId: bigint): Uint8Array {
  return _tl([["uint", 0x347773c5], ["long", msgId], ["long", pingId]]);
}

/** bad_server_salt#edab447b bad_msg_id:long bad_msg_seqno:int error_code:int new_server_salt:long */
export function badServerSalt(badMsgId: bigint, seqno: number, newSalt: bigint): Uint8Array {
  return _tl([["uint", 0xedab447b], ["long", badMsgId], ["int", seqno], ["int", 48], ["long", newSalt]]);
}

/** bad_msg_notification#a7eff811 bad_msg_id:long bad_msg_seqno:int error_code:int */
export function badMsgNotification(badMsgId: bigint, seqno: number, code: number): Uint8Array {
  return _tl([["uint", 0xa7eff811], ["long", badMsgId], ["int", seqno], ["int", code]]);
}

/** new_session_created#9ec20908 first_msg_id:long unique_id:long server_salt:long */
export function newSessionCreated(firstMsgId: bigint, uniqueId: bigint, salt: bigint): Uint8Array {
  return _tl([["uint", 0x9ec20908], ["long", firstMsgId], ["long", uniqueId], ["long", salt]]);
}

/** destroy_session_ok#e22045fc session_id:long */
export function destroySessionOk(sessionId: bigint): Uint8Array {
  return _tl([["uint", 0xe22045fc], ["long", sessionId]]);
}

/**
 * future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt>
 * (bare vector of bare future_salt: valid_since:int valid_until:int salt:long)
 */
export function futureSalts(
  reqMsgId: bigint,
  now: number,
  salts: Array<[number, number, bigint]>,
): Uint8Array {
  const fields: Field[] = [["uint", 0xae500895], ["long", reqMsgId], ["int", now], ["int", salts.length]];
  for (const [since, until, salt] of salts) {
    fields.push(["int", since], ["int", until], ["long", salt]);
  }
  return _tl(fields);
}

/** msgs_state_info#04deb57d req_msg_id:long info:string — we answer "unknown" (1) for every id. */
export function msgsStateInfo(reqMsgId: bigint, count: number): Uint8Array {
  const n = Math.min(count, 253);
  const strLen = 1 + n;
  const pad = (4 - (strLen % 4)) % 4;
  const out = new Uint8Array(12 + strLen + pad);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x04deb57d, true);
  dv.setBigInt64(4, reqMsgId, true);
  out[12] = n;
  out.fill(1, 13, 13 + n);
  return out;
}
