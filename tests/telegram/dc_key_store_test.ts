/** DcKeyStore: 0600 files named by what they are bound to, atomic writes, corrupt files ignored; forgetDcKeys. */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { dcKeyFile, type DcKeyScope, DcKeyStore, type HomeKey } from "../../lib/telegram/dc_key_store.ts";
import { forgetDcKeys } from "../../lib/telegram/forget_dc_keys.ts";
import { StringSession } from "telegram/sessions/index.js";
import { AuthKey } from "telegram/crypto/AuthKey.js";

const key = (fill: number) => new Uint8Array(256).fill(fill);

async function _withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_dckeystore_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("dcKeyFile: bound to the home key, its DC, the API id and the endpoints; no key in the name", async () => {
  const scope: DcKeyScope = { dir: "/d", apiId: 1 };
  const home: HomeKey = { dcId: 2, key: key(7) };
  const base = await dcKeyFile(scope, home);
  assert.match(base, /^\/d\/[0-9a-f]{32}\.json$/);
  const others = await Promise.all([
    dcKeyFile({ ...scope, apiId: 2 }, home),
    dcKeyFile({ ...scope, endpoints: '{"dcs":{}}' }, home),
    dcKeyFile(scope, { ...home, dcId: 4 }),
    dcKeyFile(scope, { ...home, key: key(8) }),
  ]);
  assert.equal(new Set([base, ...others]).size, 5);
  assert.equal(await dcKeyFile(scope, { dcId: 2, key: key(7) }), base, "stable");
});

Deno.test("DcKeyStore: keys round-trip in a 0600 file; a corrupt file reads as empty and is replaced", async () => {
  await _withDir(async (dir) => {
    const store = await DcKeyStore.open({ dir: `${dir}/dc-keys`, apiId: 1 }, { dcId: 2, key: key(1) });
    assert.equal(await store.get(4), undefined);
    await store.put(4, key(4));
    await store.put(1, key(9));
    assert.deepEqual(await store.get(4), key(4));
    assert.equal((await Deno.stat(store.file)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/dc-keys`)).mode! & 0o777, 0o700);
    await store.drop(4);
    assert.equal(await store.get(4), undefined);
    assert.deepEqual(await store.get(1), key(9));
    await assert.rejects(() => store.put(3, new Uint8Array(16)), RangeError);

    for (const junk of ["", "{", "null", '{"keys":[1]}', '{"keys":{"4":"c2hvcnQ="}}']) {
      await Deno.writeTextFile(store.file, junk);
      assert.equal(await store.get(4), undefined, junk);
    }
    await store.put(4, key(5));
    assert.deepEqual(await store.get(4), key(5));
    assert.doesNotThrow(() => JSON.parse(Deno.readTextFileSync(store.file)));
  });
});

Deno.test("DcKeyStore: concurrent writers never leave a torn file or a temp file", async () => {
  await _withDir(async (dir) => {
    const scope = { dir, apiId: 1 };
    const home = { dcId: 2, key: key(1) };
    const stores = await Promise.all(Array.from({ length: 8 }, () => DcKeyStore.open(scope, home)));
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        try {
          JSON.parse(await Deno.readTextFile(stores[0].file));
          reads++;
        } catch (err) {
          if (!(err instanceof Deno.errors.NotFound)) throw err;
        }
        await new Promise((r) => setTimeout(r, 0));
      }
    })();
    await Promise.all(stores.map(async (s, i) => {
      for (let j = 0; j < 5; j++) await s.put(1 + ((i + j) % 5), key(i * 5 + j));
    }));
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [stores[0].file.slice(dir.length + 1)]);
    // last rename wins: which writer came last (and so which DCs its file holds) varies from run to run
    const held = await Promise.all([1, 2, 3, 4, 5].map((dc) => stores[0].get(dc)));
    assert.ok(held.some((k) => k !== undefined), "the last writer's keys");
  });
});

Deno.test("forgetDcKeys: deletes the file of a session's keys; nothing for a bad session", async () => {
  await _withDir(async (dir) => {
    const auth = new AuthKey();
    await auth.setKey(Buffer.from(key(3)));
    const s = new StringSession("");
    s.setDC(2, "127.0.0.1", 443);
    s.setAuthKey(auth);
    const session = s.save();
    const scope = { dir, apiId: 5 };
    const store = await DcKeyStore.open(scope, { dcId: 2, key: key(3) });
    await store.put(4, key(4));
    assert.equal(await forgetDcKeys({ ...scope, apiId: 6 }, session), false, "another API id's file");
    assert.equal(await forgetDcKeys(scope, session), true);
    await assert.rejects(() => Deno.stat(store.file), Deno.errors.NotFound);
    assert.equal(await forgetDcKeys(scope, session), false);
    assert.equal(await forgetDcKeys(scope, "not a session"), false);
  });
});
