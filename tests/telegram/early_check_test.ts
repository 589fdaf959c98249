/**
 * The early session check (lib/telegram/early_check.ts, early_registry.ts) against the fake DC
 * over real sockets: it gets the account GramJS gets (through a wrong salt first, and a server clock
 * 10 minutes off), tells a dead key (-404) and a revoked session (401) apart from everything it
 * must leave to GramJS (garbage, a changed byte, a refused or silent connection), and connectAccount
 * takes its account so the DC sees one users.getUsers in all.
 */
import assert from "node:assert/strict";
import { LoginRequiredError } from "../../lib/core/errors.ts";
import { connectAccount } from "../../lib/telegram/connect_account.ts";
import { earlyCheck, type EarlyOutcome } from "../../lib/telegram/early_check.ts";
import { type EarlyKey, startEarlyCheck, takeEarlyOutcome } from "../../lib/telegram/early_registry.ts";
import { readEarlySession } from "../../lib/telegram/early_session.ts";
import { parseEndpoints } from "../../lib/telegram/endpoints.ts";
import { knownAccount } from "../../lib/telegram/get_account.ts";
import { authKeyIdHex } from "../fakedc/mtproto/crypto.ts";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { listenLoopback, pipe } from "../_helpers/proxy_server.ts";

const WORLD = "gen:chats=1,messages=1";

function _key(tg: FakeTelegram, session = tg.env.TGPIPE_SESSION): EarlyKey {
  return { apiId: Number(tg.env.TGPIPE_API_ID), endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS, session };
}

/**
 * The early check of `tg`'s session, with the DC addresses replaced by `at` when given; released
 * at once unless `hold`.
 */
function _check(
  tg: FakeTelegram,
  opts: { session?: string; at?: number; signal?: AbortSignal; hold?: boolean; holdMs?: number } = {},
) {
  const ep = parseEndpoints(tg.env.TGPIPE_TELEGRAM_ENDPOINTS);
  if (opts.at !== undefined) { for (const dc of Object.values(ep.dcs)) dc.port = opts.at; }
  const session = readEarlySession(opts.session ?? tg.env.TGPIPE_SESSION, ep);
  assert.ok(session, "a fake DC session is readable");
  const check = earlyCheck({
    apiId: Number(tg.env.TGPIPE_API_ID),
    session,
    signal: opts.signal,
    holdMs: opts.holdMs,
  });
  if (!opts.hold) check.release();
  return check;
}

/** The account GramJS's own check finds for the session (connectAccount without an early check). */
async function _gramAccount(tg: FakeTelegram) {
  const client = await connectAccount({
    apiId: Number(tg.env.TGPIPE_API_ID),
    apiHash: tg.env.TGPIPE_API_HASH,
    endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
    sessionString: tg.env.TGPIPE_SESSION,
  });
  try {
    return knownAccount(client);
  } finally {
    await client.close();
  }
}

/** A session string of the fake DC's layout with another (unknown) auth key. */
function _unknownKeySession(tg: FakeTelegram): string {
  const b = Uint8Array.from(atob(tg.env.TGPIPE_SESSION.slice(1)), (c) => c.charCodeAt(0));
  b.set(crypto.getRandomValues(new Uint8Array(256)), b.length - 256);
  return "1" + btoa(String.fromCharCode(...b));
}

Deno.test("early check: the account GramJS finds, through bad_server_salt and a clock 10 minutes off", async () => {
  for (const clockOffsetMs of [0, 600_000, -600_000]) {
    const tg = await startFakeTelegram({ world: WORLD, clockOffsetMs });
    try {
      const got = await _check(tg).outcome;
      assert.equal(got.kind, "account", JSON.stringify(got));
      assert.equal(tg.stats.badServerSalt, 1, "salt 0 is refused once, then the server's is used");
      assert.equal(tg.stats.badMsgNotification, clockOffsetMs ? 1 : 0, "one clock fix");
      assert.deepEqual((got as { account: unknown }).account, await _gramAccount(tg));
    } finally {
      await tg.close();
    }
  }
});

Deno.test("early check: only a ping until released (the DC runs nothing); then the request; unreleased, it ends", async () => {
  const tg = await startFakeTelegram({ world: WORLD });
  try {
    const check = _check(tg, { hold: true });
    await check.ready;
    assert.deepEqual(
      [tg.stats.badServerSalt, tg.stats.rpcs],
      [1, 0],
      "the ping learnt the salt, nothing ran",
    );
    check.release();
    assert.equal((await check.outcome).kind, "account");
    assert.equal(tg.stats.rpcs, 1);
    assert.equal(tg.stats.badServerSalt, 1, "the request went out with the server's salt");
    // never released (the command's input was bad): no request, and the connection is closed
    const idle = _check(tg, { hold: true, holdMs: 1 });
    const got = await idle.outcome;
    assert.equal(got.kind, "fallback");
    assert.match((got as { reason: string }).reason, /not released in time/);
    assert.equal(tg.stats.rpcs, 1);
  } finally {
    await tg.close();
  }
});

Deno.test("early check: dead when the DC does not know the key (-404) or the session was revoked (401)", async () => {
  const tg = await startFakeTelegram({ world: WORLD });
  try {
    const unknown = await _check(tg, { session: _unknownKeySession(tg) }).outcome;
    assert.equal(unknown.kind, "dead");
    assert.equal((unknown as { error: LoginRequiredError }).error.data.reason, "auth_key_unknown");
    const revoked = tg.sessionFor();
    const b = Uint8Array.from(atob(revoked.slice(1)), (c) => c.charCodeAt(0));
    tg.registry.get(authKeyIdHex(b.subarray(b.length - 256)))!.revoked = true;
    const got = await _check(tg, { session: revoked }).outcome;
    assert.equal(got.kind, "dead");
    const err = (got as { error: LoginRequiredError }).error;
    assert.ok(err instanceof LoginRequiredError);
    assert.equal(
      err.message,
      "The Telegram session is no longer valid (AUTH_KEY_UNREGISTERED); run `tgpipe login` again",
    );
  } finally {
    await tg.close();
  }
});

Deno.test("early check: falls back on garbage, a changed byte, a refused or a silent connection", async () => {
  const tg = await startFakeTelegram({ world: WORLD });
  const dc = tg.dcs[0];
  // answers 64 random bytes to anything
  const garbage = listenLoopback(async (c) => {
    await c.read(new Uint8Array(4096));
    await c.write(crypto.getRandomValues(new Uint8Array(64)));
    await c.read(new Uint8Array(1));
  });
  // relays to the DC, one bit of its first answer changed
  const tamper = listenLoopback(async (c, conns) => {
    const up = await Deno.connect({ hostname: dc.host, port: dc.port });
    conns.add(up);
    let first = true;
    await Promise.all([
      pipe(c, up),
      pipe(up, c, (b) => {
        if (first && b.length > 40) b[40] ^= 1, first = false;
        return b;
      }),
    ]);
  });
  // reads the request and says nothing: the check ends when its signal aborts (here: once it was sent)
  let received!: () => void;
  const got = new Promise<void>((r) => (received = r));
  const silent = listenLoopback(async (c) => {
    await c.read(new Uint8Array(4096));
    received();
    await c.read(new Uint8Array(1));
  });
  const refused = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const refusedPort = (refused.addr as Deno.NetAddr).port;
  refused.close();
  try {
    const fallback = (o: EarlyOutcome, what: RegExp) => {
      assert.equal(o.kind, "fallback", JSON.stringify(o));
      assert.match((o as { reason: string }).reason, what);
    };
    fallback(await _check(tg, { at: garbage.port }).outcome, /frame length|msg_key|packet length|closed/);
    fallback(await _check(tg, { at: tamper.port }).outcome, /msg_key mismatch/);
    fallback(await _check(tg, { at: refusedPort }).outcome, /ConnectionRefused/);
    // stopped while the connection is being opened: given up at once, not when it opens
    const stop = new AbortController();
    const connecting = _check(tg, { signal: stop.signal });
    stop.abort(new DOMException("stopped", "AbortError"));
    fallback(await connecting.outcome, /AbortError: stopped/);
    const ctl = new AbortController();
    const check = _check(tg, { at: silent.port, signal: ctl.signal });
    await got;
    ctl.abort();
    fallback(await check.outcome, /AbortError/);
    // nothing reached the DC through the tampering relay but one request (answered with a bad salt)
    assert.equal(tg.stats.rpcs, 0);
  } finally {
    await Promise.all([garbage.close(), tamper.close(), silent.close()]);
    await tg.close();
  }
});

Deno.test("connectAccount takes the early check's account: the DC sees one users.getUsers; another session is not given it", async () => {
  const lines: string[] = [];
  const tg = await startFakeTelegram({ world: WORLD, trace: true, log: (l) => lines.push(l) });
  const getUsers = () => lines.filter((l) => /<- .*users\.GetUsers/.test(l)).length;
  try {
    const sent = startEarlyCheck(_key(tg));
    assert.ok(sent);
    await sent;
    // another session of the same account: not this check's (it is GramJS's to check)
    const other = tg.sessionFor();
    assert.equal(await takeEarlyOutcome(_key(tg, other)), undefined);
    const spec = {
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      sessionString: tg.env.TGPIPE_SESSION,
    };
    const client = await connectAccount(spec);
    try {
      assert.equal(knownAccount(client)?.id, Number(tg.world.selfUserId));
      assert.equal(client.account, "+155******01");
      assert.equal(getUsers(), 1, lines.join("\n"));
      // GramJS's connection learnt the check's round trip: a first lost read is copied after the
      // floor, not after the 2 s of an estimate with no sample
      assert.ok(client.timeoutEstimateMs < 2000, `timeout ${client.timeoutEstimateMs} ms`);
    } finally {
      await client.close();
    }
    // taken once: the next connect of the run checks the session itself
    assert.equal(await takeEarlyOutcome(_key(tg)), undefined);
    const again = await connectAccount(spec);
    await again.close();
    assert.equal(getUsers(), 2);
    // a dead session's check ends connectAccount with its error (GramJS's client, opened meanwhile,
    // is closed: the test's leak check would see it otherwise)
    const dead = _unknownKeySession(tg);
    await startEarlyCheck(_key(tg, dead));
    await assert.rejects(
      connectAccount({ ...spec, sessionString: dead }),
      (e) => e instanceof LoginRequiredError && e.data.reason === "auth_key_unknown",
    );
  } finally {
    await tg.close();
  }
});

Deno.test("connectAccount when the early answer is lost: GramJS checks the session 1 s after the request, not after the check's 3 s", async () => {
  const lines: string[] = [];
  const tg = await startFakeTelegram({ world: WORLD, trace: true, log: (l) => lines.push(l) });
  const dc = tg.dcs[0];
  let connections = 0;
  // the relay's first connection is the early check's (opened and salted below, before GramJS
  // connects): it passes the salt, then no answer
  const relay = listenLoopback(async (c, conns) => {
    const early = connections++ === 0;
    const up = await Deno.connect({ hostname: dc.host, port: dc.port });
    conns.add(up);
    let answers = 0;
    await Promise.all([pipe(c, up), pipe(up, c, (b) => (early && answers++ > 0 ? new Uint8Array(0) : b))]);
  });
  try {
    const ep = JSON.parse(tg.env.TGPIPE_TELEGRAM_ENDPOINTS);
    ep.dcs[String(dc.id)].port = relay.port;
    const endpoints = JSON.stringify(ep);
    const key = { ..._key(tg), endpoints };
    await startEarlyCheck(key);
    assert.equal(connections, 1, "the early check connected first");
    const logs: string[] = [];
    const client = await connectAccount(
      { apiId: key.apiId, apiHash: tg.env.TGPIPE_API_HASH, endpoints, sessionString: key.session },
      { emit: (e) => e.type === "log" && logs.push(e.message) },
    );
    try {
      assert.equal(knownAccount(client)?.id, Number(tg.world.selfUserId));
      // not the check's own 3 s step timeout: GramJS asked once the early answer was a second late
      assert.deepEqual(logs, [
        "early session check: no answer within 1000 ms while GramJS was open; GramJS checks the session",
      ]);
      // the early request reached the DC (its answer was lost), then GramJS's own
      assert.equal(lines.filter((l) => /<- .*users\.GetUsers/.test(l)).length, 2);
    } finally {
      await client.close();
    }
  } finally {
    await relay.close();
    await tg.close();
  }
});
