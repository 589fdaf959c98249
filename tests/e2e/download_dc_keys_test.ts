/**
 * The file DC's authorized key kept in the data dir between runs, end to end: the first
 * `tgpipe download` of a file on DC 4 imports the authorization there and stores the key (0600, no
 * session in it), the second run of the same data dir imports nothing and makes no new key, and
 * `tgpipe logout` deletes the stored keys with the session file.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";

const WORLD = "gen:chats=1,messages=40,files=12,file_size=2MB,forum=0,comments=0,left=0";
const T = { timeoutMs: 120_000 };

function _data(r: RunCliResult): Record<string, unknown> {
  const ev = r.events.find((e) => e.type === "result");
  assert.ok(ev && ev.type === "result", `no result event in ${r.stdout}\n${r.stderr}`);
  return ev.data as Record<string, unknown>;
}

Deno.test("download: the second run reuses the stored key of the file DC; logout deletes it", async () => {
  let imports = 0;
  const tg = await startFakeTelegram({
    world: WORLD,
    basePort: 0,
    trace: true,
    log: (line) => void (/<- (?:[\w.]+ > )*auth\.ImportAuthorization /.test(line) && imports++),
  });
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_dl_dckeys_" });
  try {
    const { TGPIPE_SESSION: session, ...rest } = tg.env;
    const data = `${dir}/data`;
    await Deno.mkdir(data, { recursive: true });
    await Deno.writeTextFile(`${data}/session`, session + "\n", { mode: 0o600 });
    const env = { ...rest, TGPIPE_DATA_DIR: data, TGPIPE_KV: `${dir}/p.kv` };
    const secrets = [session];
    const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
    // documents on a DC other than home (the fake DC's own rule: the file's DC when it has it)
    const ids = tg.dcs.map((d) => d.id);
    const fileDc = (f: { dcId: number; id: bigint }) =>
      ids.includes(f.dcId) ? f.dcId : ids[Number(f.id % BigInt(ids.length))];
    const foreign = chat.messages.flatMap((m) =>
      m.media?.kind === "document" && fileDc(m.media.doc) !== tg.homeDcId
        ? [{ id: m.id, doc: m.media.doc }]
        : []
    );
    // on the same DC: the later runs need that DC's key only
    const docs = foreign.filter((d) => fileDc(d.doc) === fileDc(foreign[0].doc));
    assert.ok(docs.length >= 3, "three documents on another DC");
    const hs0 = tg.stats.handshakes;
    const runs: Array<{ imports: number; handshakes: number }> = [];
    // the third run downloads through a fetch worker, which opens its own connections
    const workers = [[], [], ["--workers", "1"]];
    for (const [i, d] of docs.slice(0, 3).entries()) {
      const before = { imports, handshakes: tg.stats.handshakes };
      const r = await runCli(
        [
          "--json",
          "download",
          `https://t.me/gen_channel_0/${d.id}`,
          "--out",
          `${dir}/out${i}`,
          ...workers[i],
        ],
        { env, secrets, ...T },
      );
      assert.equal(r.code, 0, r.stderr);
      const done = r.events.find((e) => e.type === "item_done");
      assert.ok(done?.type === "item_done" && done.path, JSON.stringify(r.events.at(-1)));
      const want = await readBlob(d.doc.blob, 0, d.doc.blob.size);
      assert.deepEqual(await Deno.readFile(done.path), want);
      runs.push({ imports: imports - before.imports, handshakes: tg.stats.handshakes - before.handshakes });
    }
    // the first run makes DC 4's key and imports there; the second takes the stored one
    assert.deepEqual(runs, [{ imports: 1, handshakes: 1 }, { imports: 0, handshakes: 0 }, {
      imports: 0,
      handshakes: 0,
    }]);
    assert.equal(tg.stats.handshakes - hs0, 1);
    const stored = [...Deno.readDirSync(`${data}/dc-keys`)].map((e) => `${data}/dc-keys/${e.name}`);
    assert.equal(stored.length, 1, `one store file: ${stored}`);
    assert.equal((await Deno.stat(stored[0])).mode! & 0o777, 0o600);
    assert.ok(!(await Deno.readTextFile(stored[0])).includes(session), "no session string in the store");

    const out = await runCli(["--json", "logout"], { env, secrets, ...T });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(_data(out).dc_keys_deleted, true);
    assert.deepEqual([...Deno.readDirSync(`${data}/dc-keys`)], [], "logout deleted the stored keys");
    await assert.rejects(() => Deno.stat(`${data}/session`), Deno.errors.NotFound);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
});
