/**
 * A partly failed export, end to end: one chat whose history Telegram refuses, or one media file
 * that never verifies, must not stop the rest, must be reported (`item_failed`) and must make the
 * process exit 3. The `done` event computes its own exit_code, so the process's code is checked.
 */
import assert from "node:assert/strict";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import type { WChat } from "../fakedc/world/types.ts";
import { runCli } from "../_helpers/run_cli.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { readTree } from "./_export_helpers.ts";

const WORLD = "gen:chats=2,messages=30,files=6,file_size=16KB,forum=0,comments=0,left=0";
const CHANNEL = "1700000000";
const GROUP = "1700000001";

async function _withDc(fn: (tg: FakeTelegram, tmp: string) => Promise<void>): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "tgpipe_export_fail_" });
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  try {
    await fn(tg, tmp);
  } finally {
    await tg.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

function _failed(events: TgpipeEvent[]): Array<{ item: string; code: string; message: string }> {
  return events.flatMap((e) =>
    e.type === "item_failed" ? [{ item: e.item, code: e.error.code, message: e.error.message }] : []
  );
}

function _lines(tree: Map<string, string>, chat: string): number {
  return tree.get(`chats/${chat}/messages.jsonl`)?.trim().split("\n").length ?? 0;
}

Deno.test("export: a chat whose history fails (CHANNEL_PRIVATE) exits 3, is reported, the other is exported", async () => {
  await _withDc(async (tg, tmp) => {
    tg.faults.errorRules.push({
      method: "messages.GetHistory",
      code: 400,
      message: "CHANNEL_PRIVATE",
      target: CHANNEL,
    });
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const r = await runCli(["--json", "export", `-100${CHANNEL}`, `-100${GROUP}`, "--out", `${tmp}/o`], {
      env,
    });
    assert.equal(r.code, 3, `exit ${r.code}\n${r.stderr}${r.stdout.slice(-1500)}`);
    const failed = _failed(r.events);
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.ok(failed[0].item.includes(CHANNEL), failed[0].item);
    assert.match(failed[0].message, /CHANNEL_PRIVATE/);
    const tree = await readTree(`${tmp}/o`);
    assert.equal(_lines(tree, GROUP), 30, "the other chat is exported in full");
    assert.equal(_lines(tree, CHANNEL), 0, "nothing of the failed chat");
    assert.ok(![...tree.keys()].some((k) => k.endsWith(".part")), "no partial files");
    const result = r.events.find((e) => e.type === "result");
    assert.ok(result?.type === "result");
    assert.equal((result.data as { failed: number }).failed, 1);

    // without --json too: the human summary says what failed, the exit code is still 3
    const human = await runCli(["export", `-100${CHANNEL}`, `-100${GROUP}`, "--out", `${tmp}/h`], { env });
    assert.equal(human.code, 3, human.stderr);
    assert.match(human.stdout, /1 chats and 0 media failed/);
  });
});

Deno.test("export: a media file that never verifies exits 3, is reported, every other file and note is written", async () => {
  await _withDc(async (tg, tmp) => {
    const chat = tg.world.chats.get(`channel:${CHANNEL}`) as WChat;
    const docs = chat.messages.flatMap((m) =>
      m.media?.kind === "document" ? [{ id: m.id, doc: m.media.doc }] : []
    );
    assert.ok(docs.length >= 2, "two documents at least");
    const bad = docs[0];
    // every getFile answer for this file has one byte flipped: the hashes never match
    tg.faults.corruptFiles.push(bad.doc.id.toString());
    const env = { ...tg.env, TGPIPE_KV: `${tmp}/p.kv` };
    const r = await runCli(["--json", "export", `-100${CHANNEL}`, "--out", `${tmp}/o`], { env });
    assert.equal(r.code, 3, `exit ${r.code}\n${r.stderr}${r.stdout.slice(-1500)}`);
    const failed = _failed(r.events);
    assert.deepEqual(failed.map((f) => [f.item, f.code]), [[`media:${CHANNEL}:${bad.id}`, "VERIFY_FAILED"]]);
    const tree = await readTree(`${tmp}/o`);
    assert.equal(_lines(tree, CHANNEL), 30, "every message is exported");
    const media = [...tree.keys()].filter((k) => k.startsWith(`chats/${CHANNEL}/media/`));
    assert.ok(![...tree.keys()].some((k) => k.endsWith(".part")), `no partial files: ${media}`);
    const named = (id: number) => media.filter((k) => k.slice(k.lastIndexOf("/") + 1).startsWith(`${id}-`));
    assert.deepEqual(named(bad.id), [], "the corrupt file is not in place");
    for (const d of docs.slice(1)) {
      const [path] = named(d.id);
      assert.ok(path, `media of message ${d.id} in ${media}`);
      const got = await Deno.readFile(`${tmp}/o/${path}`);
      assert.deepEqual(got, await readBlob(d.doc.blob, 0, d.doc.blob.size), path);
    }
    const result = r.events.find((e) => e.type === "result");
    assert.ok(result?.type === "result");
    assert.equal((result.data as { media_failed: number }).media_failed, 1);
  });
});
