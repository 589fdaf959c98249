import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { FastConnection } from "../../lib/telegram/fast_connection.ts";
import { FastSocket } from "../../lib/telegram/fast_socket.ts";

/** A loopback server that runs `serve` on its first connection. */
async function _withServer(
  serve: (conn: Deno.Conn) => Promise<void>,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    try {
      await serve(conn);
    } finally {
      try {
        conn.close();
      } catch { /* closed by the test */ }
    }
  })();
  try {
    await body((listener.addr as Deno.NetAddr).port);
  } finally {
    listener.close();
    await served;
  }
}

function _bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

/** A FastConnection to DC 2 at `port` on loopback, with silent loggers. */
function _connection(port: number): FastConnection {
  return new FastConnection({
    ip: "127.0.0.1",
    port,
    dcId: 2,
    // deno-lint-ignore no-explicit-any
    loggers: { debug() {}, info() {}, warn() {}, error() {} } as any,
    proxy: undefined,
    // deno-lint-ignore no-explicit-any
    socket: undefined as any,
    testServers: false,
  });
}

async function _writeAll(conn: Deno.Conn, b: Uint8Array): Promise<void> {
  for (let o = 0; o < b.length;) o += await conn.write(b.subarray(o));
}

Deno.test("FastSocket.readExactly returns exact byte runs across odd chunks, small and large", async () => {
  const data = _bytes(300_000, 7);
  await _withServer(async (conn) => {
    // odd slices so reads straddle chunk borders
    for (let o = 0; o < data.length; o += 7919) await _writeAll(conn, data.subarray(o, o + 7919));
  }, async (port) => {
    const s = await new FastSocket().connect(port, "127.0.0.1");
    try {
      const sizes = [4, 1, 100_000, 3, 65_536, 134_456];
      let at = 0;
      for (const n of sizes) {
        const got = await s.readExactly(n);
        assert.ok(got instanceof Buffer);
        assert.deepEqual(new Uint8Array(got), data.subarray(at, at + n));
        at += n;
      }
      assert.equal(at, data.length);
      await assert.rejects(s.readExactly(1), /closed/);
    } finally {
      await s.close();
    }
  });
});

Deno.test("FastSocket.write keeps order; read(n) gives at most n bytes; close fails later reads", async () => {
  const sent: Uint8Array[] = [];
  await _withServer(async (conn) => {
    const buf = new Uint8Array(1024);
    let total = 0;
    while (total < 30) {
      const n = await conn.read(buf);
      if (n === null) break;
      sent.push(buf.slice(0, n));
      total += n;
    }
    await _writeAll(conn, _bytes(50, 1));
    await new Promise((r) => setTimeout(r, 50));
  }, async (port) => {
    const s = await new FastSocket().connect(port, "127.0.0.1");
    try {
      for (let i = 0; i < 3; i++) s.write(new Uint8Array(10).fill(i));
      const first = await s.read(8);
      assert.ok(first.length >= 1 && first.length <= 8);
      assert.deepEqual(new Uint8Array(first), _bytes(50, 1).subarray(0, first.length));
      await s.close();
      assert.equal(s.closed, true);
      await assert.rejects(s.readExactly(4), /closed/);
      assert.throws(() => s.write(new Uint8Array(1)), /closed/);
    } finally {
      await s.close();
    }
  });
  const all = new Uint8Array(sent.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of sent) (all.set(b, o), o += b.length);
  assert.deepEqual([...all], [
    ...new Uint8Array(10).fill(0),
    ...new Uint8Array(10).fill(1),
    ...new Uint8Array(10).fill(2),
  ]);
});

Deno.test("FastConnection: intermediate framing both ways, transport errors passed through, bad lengths refused", async () => {
  const payload = _bytes(200_000, 3);
  let seen: Uint8Array | undefined;
  await _withServer(async (conn) => {
    const head = new Uint8Array(4 + 4 + 8);
    let got = 0;
    while (got < head.length) got += (await conn.read(head.subarray(got)))!;
    seen = head;
    const frame = new Uint8Array(4 + payload.length);
    new DataView(frame.buffer).setInt32(0, payload.length, true);
    frame.set(payload, 4);
    await _writeAll(conn, frame);
    // a transport error: a 4-byte packet holding -404
    await _writeAll(conn, Uint8Array.from([4, 0, 0, 0, 0x6c, 0xfe, 0xff, 0xff]));
    await _writeAll(conn, Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
  }, async (port) => {
    const c = _connection(port);
    await c.connect();
    try {
      await c.send(Buffer.from(_bytes(8, 9)));
      assert.deepEqual(new Uint8Array(await c.recv()), payload);
      assert.equal((await c.recv()).readInt32LE(0), -404);
      // the bad length ends the connection: recv fails instead of hanging
      await assert.rejects(c.recv(), /Not connected/);
    } finally {
      await c.disconnect();
    }
  });
  assert.deepEqual([...seen!.subarray(0, 8)], [0xee, 0xee, 0xee, 0xee, 8, 0, 0, 0]);
  assert.deepEqual(seen!.subarray(8), _bytes(8, 9));
});

Deno.test("FastConnection: sends after its socket closed under it fail at once, not vanish or wait forever", async () => {
  await _withServer(async (conn) => {
    // read until the client goes away
    const buf = new Uint8Array(1024);
    while (await conn.read(buf).catch(() => null) !== null) { /* drain */ }
  }, async (port) => {
    const c = _connection(port);
    await c.connect();
    try {
      await c.send(Buffer.from(_bytes(8, 1)));
      // the socket closes (a dropped connection) before the receive side has told the connection
      await (c as unknown as { socket: FastSocket }).socket.close();
      // GramJS's queued send "sent" them into the closed socket, or (once its loop had ended) waited
      // for a slot forever: either way the sender never learnt that the connection was gone
      const timers: ReturnType<typeof setTimeout>[] = [];
      const sends = [1, 2, 3].map((i) =>
        Promise.race([
          c.send(Buffer.from(_bytes(8, i))).then(() => "sent", () => "failed"),
          new Promise<string>((r) => timers.push(setTimeout(() => r("hung"), 5000))),
        ])
      );
      const got = await Promise.all(sends);
      timers.forEach(clearTimeout);
      assert.deepEqual(got, ["failed", "failed", "failed"]);
    } finally {
      await c.disconnect();
    }
  });
});
