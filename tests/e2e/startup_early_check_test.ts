/**
 * The early session check from outside (main.ts -> lib/cli/early_start.ts, against the fake DC over
 * real sockets): whoami prints the account without loading GramJS (GramJS's schema cache in its
 * localStorage stays unwritten: _gramjs_cache.ts) and the DC sees one users.getUsers; export too sees one (GramJS
 * sends none of its own); a dead session is exit 4 without GramJS; and when the check's answer is
 * spoiled on the way, whoami still answers, through GramJS.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { authKeyIdHex } from "../fakedc/mtproto/crypto.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { listenLoopback, pipe } from "../_helpers/proxy_server.ts";
import { freshOrigin, storedCache } from "./_gramjs_cache.ts";

const WORLD = "gen:chats=1,messages=1";
/** GramJS's schema cache is still unwritten: GramJS never loaded (tgpipe's own check of it may have run). */
async function _noGramJs(origin: string, what: string): Promise<void> {
  assert.equal((await storedCache(origin)).definitions, null, what);
}

/** A fake DC logging every RPC; `getUsers()` counts the users.getUsers it was sent. */
async function _tracedDc() {
  const lines: string[] = [];
  const tg = await startFakeTelegram({ world: WORLD, trace: true, log: (l) => lines.push(l) });
  return { tg, lines, getUsers: () => lines.filter((l) => /<- .*users\.GetUsers/.test(l)).length };
}

/**
 * The fake DC's first DC behind a loopback relay: the server's bytes to each connection pass through
 * `answers(first)` (`first` for the relay's first connection, the early check's); `env` points tgpipe
 * at the relay.
 */
function _relay(
  tg: Awaited<ReturnType<typeof startFakeTelegram>>,
  answers: (first: boolean) => (bytes: Uint8Array) => Uint8Array,
) {
  const dc = tg.dcs[0];
  let connections = 0;
  const relay = listenLoopback(async (c, conns) => {
    const map = answers(connections++ === 0);
    const up = await Deno.connect({ hostname: dc.host, port: dc.port });
    conns.add(up);
    await Promise.all([pipe(c, up), pipe(up, c, map)]);
  });
  const endpoints = JSON.parse(tg.env.TGPIPE_TELEGRAM_ENDPOINTS);
  endpoints.dcs[String(dc.id)].port = relay.port;
  return {
    env: { ...tg.env, TGPIPE_TELEGRAM_ENDPOINTS: JSON.stringify(endpoints) },
    connections: () => connections,
    close: () => relay.close(),
  };
}

Deno.test("whoami: the early check's account, GramJS never loaded, one users.getUsers", async () => {
  const { origin, done } = freshOrigin();
  const { tg, lines, getUsers } = await _tracedDc();
  try {
    const r = await runCli(["whoami"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `id        ${tg.world.selfUserId}`,
        "name      Fake User",
        "username  @fakeself",
        "phone     +155******01",
        "type      user",
        "dc        2",
        "",
      ].join("\n"),
    );
    await _noGramJs(origin, "whoami loaded GramJS");
    assert.equal(getUsers(), 1, lines.join("\n"));
    assert.match(lines.join("\n"), /<- InvokeWithLayer > InitConnection > users\.GetUsers \(layer \d+\)/);
    const json = await runCli(["--json", "whoami"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(json.events.find((e) => e.type === "result"), {
      ...json.events.find((e) => e.type === "result"),
      kind: "account",
      data: {
        id: Number(tg.world.selfUserId),
        name: "Fake User",
        username: "fakeself",
        phone_masked: "+155******01",
        bot: false,
        dc_id: 2,
      },
    });
    await _noGramJs(origin, "whoami --json loaded GramJS");
  } finally {
    await tg.close();
    await done();
  }
});

Deno.test("export: the DC sees one users.getUsers (the early check's; GramJS sends none)", async () => {
  const { tg, lines, getUsers } = await _tracedDc();
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_early_export_" });
  try {
    const r = await runCli(["export", "@gen_channel_0", "--media", "none", "--out", `${dir}/out`], {
      env: tg.env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(getUsers(), 1, lines.filter((l) => l.includes("<-")).join("\n"));
    // the early check's (GramJS wraps its help.getConfig in initConnection, and would ask bare)
    assert.ok(lines.some((l) => /<- InvokeWithLayer > InitConnection > users\.GetUsers /.test(l)));
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("whoami with a dead session: exit 4 with the usual message, GramJS never loaded", async () => {
  const { origin, done } = freshOrigin();
  const tg = await startFakeTelegram({ world: WORLD });
  try {
    // a key the DC does not know: transport error -404
    const b = Uint8Array.from(atob(tg.env.TGPIPE_SESSION.slice(1)), (c) => c.charCodeAt(0));
    b.set(crypto.getRandomValues(new Uint8Array(256)), b.length - 256);
    const unknown = "1" + btoa(String.fromCharCode(...b));
    const r = await runCli(["whoami"], {
      env: { ...tg.env, TGPIPE_SESSION: unknown },
      denoFlags: [`--location=${origin}`],
    });
    assert.equal(r.code, 4, r.stderr);
    assert.equal(
      r.stderr,
      "error: The Telegram session is no longer valid (the server does not know its key); run `tgpipe login` again\n",
    );
    // a revoked session: 401 AUTH_KEY_UNREGISTERED
    const revoked = tg.sessionFor();
    const k = Uint8Array.from(atob(revoked.slice(1)), (c) => c.charCodeAt(0));
    tg.registry.get(authKeyIdHex(k.subarray(k.length - 256)))!.revoked = true;
    const json = await runCli(["--json", "whoami"], {
      env: { ...tg.env, TGPIPE_SESSION: revoked },
      denoFlags: [`--location=${origin}`],
    });
    assert.equal(json.code, 4);
    const err = json.events.find((e) => e.type === "error") as { error: { code: string; data: unknown } };
    assert.equal(err.error.code, "LOGIN_REQUIRED");
    assert.deepEqual(err.error.data, { reason: "auth_key_unregistered" });
    await _noGramJs(origin, "a dead session loaded GramJS");
  } finally {
    await tg.close();
    await done();
  }
});

Deno.test("whoami when the early check's answer is spoiled on the way: the account, through GramJS", async () => {
  const { origin, done } = freshOrigin();
  const { tg, getUsers } = await _tracedDc();
  // DC 2 behind a relay that changes one bit of the first answer on its first connection
  const relay = _relay(tg, (first) => {
    let spoil = first;
    return (bytes) => {
      if (spoil && bytes.length > 40) bytes[40] ^= 1, spoil = false;
      return bytes;
    };
  });
  try {
    const r = await runCli(["--verbose", "whoami"], { env: relay.env, denoFlags: [`--location=${origin}`] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^id\\s+${tg.world.selfUserId}$`, "m"));
    // --verbose says why
    assert.match(r.stderr, /early session check: .*msg_key mismatch; GramJS checks the session/);
    assert.ok(relay.connections() >= 2, `${relay.connections()} connections through the relay`);
    assert.ok(((await storedCache(origin)).definitions ?? 0) > 1000, "GramJS answered");
    // the spoiled answer was the bad_server_salt: the early request never ran, GramJS's did
    assert.equal(getUsers(), 1);
  } finally {
    await relay.close();
    await tg.close();
    await done();
  }
});
