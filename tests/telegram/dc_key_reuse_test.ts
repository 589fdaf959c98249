/**
 * The authorized keys of other DCs kept between runs (dc_key_store.ts, file_senders.ts), over real
 * sockets against the fake DC: a second connectFiles on the same data dir downloads from the file DC
 * with no auth.exportAuthorization / importAuthorization and no key exchange; a stored key the DC
 * does not know (-404), or whose authorization is gone (401), or a corrupt store file, falls back to a
 * new key and import within seconds and replaces what was stored. Counted in the fake DC's trace.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { openFakeDcClient } from "./_open_client.ts";
import { type AccountConfig, connectFiles } from "../../lib/telegram/connect_files.ts";
import { dcKeyFile } from "../../lib/telegram/dc_key_store.ts";
import { gramOf } from "../../lib/telegram/_gram.ts";
import { fetchMessageFiles } from "../../lib/telegram/media_messages.ts";
import { parseSession } from "../../lib/telegram/parse_session.ts";
import { resolveChat } from "../../lib/telegram/resolve_chat.ts";
import type { RemoteFile } from "../../lib/telegram/remote_file.ts";
import { planParts } from "../../lib/engine/parts.ts";
import type { EventBody } from "../../lib/progress/events.ts";

const WORLD = "gen:chats=1,messages=20,files=4,file_size=2MB,forum=0,comments=0,left=0";

interface _Ctx {
  tg: FakeTelegram;
  account: AccountConfig;
  file: RemoteFile;
  /** The store file of the account's session. */
  store: string;
  /** RPCs the fake DC received since the last call, by "dc<id> <method>". */
  take(): Map<string, number>;
}

async function _with(fn: (c: _Ctx) => Promise<void>): Promise<void> {
  const seen = new Map<string, number>();
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    trace: true,
    log: (line) => {
      // "[dc4 c2] #<msg id> <- InvokeWithLayer > InitConnection > auth.ImportAuthorization (layer N)"
      const m = /^\[dc(\d+) c\d+\] (?:#\d+ (?:\[[^\]]*\] )?)?<- (?:[\w.]+ > )*([\w.]+) /.exec(line);
      if (m) seen.set(`dc${m[1]} ${m[2]}`, (seen.get(`dc${m[1]} ${m[2]}`) ?? 0) + 1);
    },
  });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_dckeys_" });
  try {
    const client = await openFakeDcClient(tg);
    let file: RemoteFile;
    try {
      const chat = await resolveChat(client, "gen_channel_0");
      const ids = Array.from({ length: 20 }, (_, i) => i + 1);
      const files = (await fetchMessageFiles(client, chat, ids)).flatMap((r) => "file" in r ? [r.file] : []);
      file = files.find((f) => f.location.dcId !== tg.homeDcId)!;
      assert.ok(file, "a file on another DC than home");
    } finally {
      await client.close();
    }
    const account: AccountConfig = {
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      session: tg.env.TGPIPE_SESSION,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      dcKeyDir: `${dir}/dc-keys`,
    };
    const home = parseSession(account.session, tg.dcs.map((d) => d.id));
    const store = await dcKeyFile(
      { dir: account.dcKeyDir!, apiId: account.apiId, endpoints: account.endpoints },
      { dcId: home.dcId, key: (home as unknown as { _key: Uint8Array })._key },
    );
    const take = () => {
      const out = new Map(seen);
      seen.clear();
      return out;
    };
    await fn({ tg, account, file, store, take });
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Downloads `file` on a client of its own (as one run does); its bytes and how long it took. */
async function _download(c: _Ctx): Promise<{ bytes: Uint8Array; ms: number; logs: string[] }> {
  const t0 = performance.now();
  const logs: string[] = [];
  const emit = (e: EventBody) => void (e.type === "log" && logs.push(e.message));
  const access = await connectFiles(c.account, { connections: 2, emit });
  try {
    const src = access.source(c.file, { verify: false });
    const signal = new AbortController().signal;
    const bytes = new Uint8Array(c.file.size);
    await Promise.all(
      planParts(c.file.size).map(async (p) => bytes.set(await src.fetchPart(p, signal), p.offset)),
    );
    return { bytes, ms: performance.now() - t0, logs };
  } finally {
    await access.close();
  }
}

async function _blob(tg: FakeTelegram, f: RemoteFile): Promise<Uint8Array> {
  const w = tg.world.files.get(BigInt(f.location.id))!;
  const blob = w.kind === "document" ? w.blob : w.sizes.at(-1)!.blob;
  return await readBlob(blob, 0, blob.size);
}

/** exportAuthorization + importAuthorization calls in `seen`. */
function _imports(seen: Map<string, number>): number {
  return [...seen].reduce((n, [k, v]) => n + (/ auth\.(Export|Import)Authorization$/.test(k) ? v : 0), 0);
}

async function _storedKey(store: string, dcId: number): Promise<string | undefined> {
  return (JSON.parse(await Deno.readTextFile(store)) as { keys: Record<string, string> }).keys[String(dcId)];
}

Deno.test("DC keys: a second download on the same data dir reuses the file DC's key, with no import", async () => {
  await _with(async (c) => {
    const want = await _blob(c.tg, c.file);
    const hs0 = c.tg.stats.handshakes;
    const first = await _download(c);
    assert.deepEqual(first.bytes, want);
    const one = c.take();
    // at least one: on a loaded machine an import unanswered for 400 ms is sent again with a fresh
    // token (import_resend.ts); what this test is about is the second run's none
    assert.ok((one.get(`dc${c.tg.homeDcId} auth.ExportAuthorization`) ?? 0) >= 1, JSON.stringify([...one]));
    assert.ok(
      (one.get(`dc${c.file.location.dcId} auth.ImportAuthorization`) ?? 0) >= 1,
      JSON.stringify([...one]),
    );
    assert.equal(c.tg.stats.handshakes - hs0, 1, "one key exchange, on the file DC");
    const info = await Deno.stat(c.store);
    assert.equal(info.mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(c.store);
    assert.ok(!text.includes(c.account.session), "no session string in the store");
    const homeKey = Buffer.from(
      (parseSession(c.account.session, c.tg.dcs.map((d) => d.id)) as unknown as {
        _key: Uint8Array;
      })._key,
    ).toString("base64");
    assert.ok(!text.includes(homeKey), "no home key in the store");
    const stored = await _storedKey(c.store, c.file.location.dcId);
    assert.ok(stored);

    const second = await _download(c);
    assert.deepEqual(second.bytes, want);
    const two = c.take();
    assert.equal(_imports(two), 0, JSON.stringify([...two]));
    assert.deepEqual(second.logs, [`DC ${c.file.location.dcId}: reusing its stored auth key`]);
    assert.equal(c.tg.stats.handshakes - hs0, 1, "no second key exchange");
    assert.equal(await _storedKey(c.store, c.file.location.dcId), stored, "the same key stays");
  });
});

Deno.test("DC keys: a stored key the DC does not know (-404) falls back at once and is replaced", async () => {
  await _with(async (c) => {
    const want = await _blob(c.tg, c.file);
    const dcId = c.file.location.dcId;
    await Deno.mkdir(c.store.slice(0, c.store.lastIndexOf("/")), { recursive: true });
    const garbage = Buffer.from(crypto.getRandomValues(new Uint8Array(256))).toString("base64");
    await Deno.writeTextFile(c.store, JSON.stringify({ version: 1, keys: { [dcId]: garbage } }));
    const run = await _download(c);
    assert.deepEqual(run.bytes, want);
    // a key exchange, an import and a 2 MB file on loopback; a hang on the -404 took the 60 s timeout
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
    // told by the -404 itself, not by the check's timeout
    assert.deepEqual(run.logs, [`DC ${dcId}: stored auth key refused (-404, key unknown); making a new one`]);
    const seen = c.take();
    assert.ok((seen.get(`dc${dcId} auth.ImportAuthorization`) ?? 0) >= 1, JSON.stringify([...seen]));
    const stored = await _storedKey(c.store, dcId);
    assert.ok(stored && stored !== garbage, "the new key replaced the unknown one");
    assert.equal((await Deno.stat(c.store)).mode! & 0o777, 0o600);
  });
});

Deno.test("DC keys: a stored key whose authorization is gone (401) falls back and is replaced", async () => {
  await _with(async (c) => {
    const want = await _blob(c.tg, c.file);
    const dcId = c.file.location.dcId;
    assert.deepEqual((await _download(c)).bytes, want);
    const stored = await _storedKey(c.store, dcId);
    c.take();
    // the DC still knows the key but no longer its authorization (as after a reset of the session's
    // authorizations): every call on it is 401 AUTH_KEY_UNREGISTERED
    const rec = [...c.tg.registry.values()].find((r) => r.dcId === dcId && r.userId !== undefined)!;
    rec.userId = undefined;
    const run = await _download(c);
    assert.deepEqual(run.bytes, want);
    assert.ok(run.ms < 10_000, `took ${run.ms} ms`);
    assert.deepEqual(run.logs, [
      `DC ${dcId}: stored auth key refused (AUTH_KEY_UNREGISTERED); making a new one`,
    ]);
    const seen = c.take();
    assert.equal(seen.get(`dc${dcId} users.GetUsers`), 1, JSON.stringify([...seen]));
    assert.ok((seen.get(`dc${dcId} auth.ImportAuthorization`) ?? 0) >= 1, JSON.stringify([...seen]));
    const now = await _storedKey(c.store, dcId);
    assert.ok(now && now !== stored, "the new key replaced the refused one");
  });
});

Deno.test("DC keys: a corrupt store file is ignored and replaced", async () => {
  await _with(async (c) => {
    const want = await _blob(c.tg, c.file);
    await Deno.mkdir(c.store.slice(0, c.store.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(c.store, '{"version":1,"keys":{"4":"AAA');
    assert.deepEqual((await _download(c)).bytes, want);
    assert.ok(await _storedKey(c.store, c.file.location.dcId), "a valid store now");
    c.take();
    assert.deepEqual((await _download(c)).bytes, want);
    assert.equal(_imports(c.take()), 0);
  });
});

Deno.test("DC keys: once the home session is logged out, the DC refuses the key imported from it", async () => {
  await _with(async (c) => {
    const dcId = c.file.location.dcId;
    assert.deepEqual((await _download(c)).bytes, await _blob(c.tg, c.file));
    const logs: string[] = [];
    const access = await connectFiles(c.account, {
      connections: 1,
      emit: (e) => void (e.type === "log" && logs.push(e.message)),
    });
    try {
      // GramJS's DC list (help.getConfig) asked while the session may: the home DC's connections
      // no longer need it, and the fake DC refuses every call of a logged-out key
      await gramOf(access.client).getDC(dcId, true);
      // auth.logOut on the home key, as the fake DC records it (the client is connected already)
      const home = [...c.tg.registry.values()].find((r) =>
        r.dcId === c.tg.homeDcId && r.userId !== undefined
      )!;
      home.revoked = true;
      home.userId = undefined;
      await assert.rejects(() => access.pool.ready(dcId));
    } finally {
      await access.close();
    }
    // Telegram ends the authorizations imported from a logged-out one: the stored key is refused
    assert.deepEqual(logs, [`DC ${dcId}: stored auth key refused (AUTH_KEY_UNREGISTERED); making a new one`]);
    await assert.rejects(() => Deno.stat(c.store), Deno.errors.NotFound);
  });
});
