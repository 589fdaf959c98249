import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { LoginRequiredError } from "../../lib/core/errors.ts";
import { parseSession } from "../../lib/telegram/parse_session.ts";

/** A Telethon-layout session string: dc, IPv4, port, then `keyBytes` bytes of key. */
function _session(dcId: number, keyBytes = 256): string {
  const b = Buffer.alloc(7 + keyBytes, 7);
  b[0] = dcId;
  b.set([127, 0, 0, 1], 1);
  b.writeUInt16BE(4430, 5);
  return "1" + b.toString("base64");
}

Deno.test("parseSession reads a whole session and gives a fresh one for an empty string", () => {
  const s = parseSession(_session(2));
  assert.equal(s.dcId, 2);
  assert.equal(s.serverAddress, "127.0.0.1");
  assert.equal(parseSession("").dcId, 0);
  assert.equal(parseSession(_session(9), [9]).dcId, 9);
  // a key whose leading zero byte GramJS dropped (about one login in 256) is a whole key
  assert.equal(parseSession(_session(2, 255)).dcId, 2);
});

Deno.test("parseSession refuses truncated, random and foreign-DC strings without echoing them", () => {
  const whole = _session(2);
  const bad = [
    whole.slice(0, 200),
    whole.slice(0, 5),
    "1",
    "2" + whole.slice(1),
    "1" + Buffer.from(crypto.getRandomValues(new Uint8Array(100))).toString("base64"),
    _session(2, 240),
    _session(2, 257),
    _session(77),
  ];
  for (const text of bad) {
    assert.throws(() => parseSession(text), (err: unknown) => {
      assert.ok(err instanceof LoginRequiredError);
      assert.equal(err.exitCode, 4);
      assert.equal(err.data.reason, "bad_session");
      if (text.length > 8) assert.ok(!err.message.includes(text.slice(1, 9)));
      return true;
    });
  }
  // a DC the endpoints map does not have is as bad as one Telegram does not have
  assert.throws(() => parseSession(whole, [1, 4]), LoginRequiredError);
});
