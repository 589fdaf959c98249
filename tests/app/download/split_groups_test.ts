/**
 * SplitGroups without Telegram: which planned files form a split (same chat, manifest name, the
 * manifest sent after its pieces), the original put back only when the last member is in, an
 * incomplete split left alone with a warning, a broken manifest failing with the pieces kept.
 */
import assert from "node:assert/strict";
import { type GroupMember, SplitGroups } from "../../../lib/app/download/split_groups.ts";
import { splitFile } from "../../../lib/engine/split_file.ts";
import type { UploadSource } from "../../../lib/engine/upload_source.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { openProgressStore } from "../../../lib/store/kv_store.ts";
import type { RemoteFile } from "../../../lib/telegram/remote_file.ts";

const SIG = new AbortController().signal;

async function _bytes(src: UploadSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(0, SIG)) parts.push(c);
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

function _member(chatId: number, messageId: number, fileName: string): GroupMember {
  const file = { key: `document:${chatId}${messageId}`, fileName, chatId, messageId, size: 1 } as RemoteFile;
  return { item: `msg:${chatId}:${messageId}`, file };
}

/** Members for a split of `bytes` posted in chat 1 from message `first`, written under `dir` as downloaded. */
async function _split(dir: string, name: string, bytes: Uint8Array, first: number) {
  await Deno.writeFile(`${dir}/${name}`, bytes);
  const s = await splitFile(`${dir}/${name}`, { limitBytes: 40_000 });
  const members: Array<GroupMember & { bytes: Uint8Array }> = [];
  for (const [i, src] of [...s.pieces, s.manifestSource].entries()) {
    members.push({ ..._member(1, first + i, src.name), bytes: await _bytes(src) });
  }
  return members;
}

Deno.test("split groups: the original is put back when the last member is in, not before", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_groups_" });
  const store = await openProgressStore(":memory:");
  try {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    const members = await _split(dir, "a.bin", bytes, 10);
    // a same-named file in another chat and a lone "x.001" are no split
    const other = _member(2, 12, "a.bin.001");
    const lone = _member(1, 50, "x.001");
    const groups = new SplitGroups([...members, other, lone]);
    assert.equal(groups.size, members.length);
    const events: EventBody[] = [];
    const c = { out: `${dir}/out`, store, emit: (e: EventBody) => events.push(e) };
    await Deno.mkdir(c.out);
    // the manifest first, then the pieces: the join happens at the last piece
    for (const m of [members.at(-1)!, ...members.slice(0, -1)]) {
      const path = `${c.out}/${m.file.messageId}_${m.file.fileName}`;
      await groups.step(m, c, async () => {
        await Deno.writeFile(path, m.bytes);
        return { path };
      });
      const joined = events.some((e) => e.type === "log");
      assert.equal(joined, m === members.at(-2), `joined after ${m.file.fileName}`);
    }
    assert.deepEqual([...Deno.readDirSync(c.out)].map((e) => e.name), ["13_a.bin"]);
    assert.deepEqual(await Deno.readFile(`${c.out}/13_a.bin`), bytes);
    // a member of a split already put back is skipped without downloading
    const again = await groups.step(members[0], c, () => Promise.reject(new Error("downloaded again")));
    assert.deepEqual([again.skipped, again.path], [true, `${c.out}/13_a.bin`]);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("split groups: a download with some pieces only keeps them; a broken manifest keeps everything", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_groups_part_" });
  const store = await openProgressStore(":memory:");
  try {
    const members = await _split(dir, "b.bin", new Uint8Array(100_000).fill(7), 1);
    const some = [members[0], members.at(-1)!];
    const events: EventBody[] = [];
    const c = { out: `${dir}/out`, store, emit: (e: EventBody) => events.push(e) };
    await Deno.mkdir(c.out);
    const groups = new SplitGroups(some);
    for (const m of some) {
      const path = `${c.out}/${m.file.fileName}`;
      await groups.step(m, c, async () => (await Deno.writeFile(path, m.bytes), { path }));
    }
    const warning = events.find((e) => e.type === "warning");
    assert.ok(warning?.type === "warning" && warning.code === "SPLIT_INCOMPLETE", JSON.stringify(events));
    assert.match(warning.message, /^b\.bin was not put back: b\.bin\.002, b\.bin\.003 not in this download$/);
    assert.deepEqual([...Deno.readDirSync(c.out)].map((e) => e.name).sort(), [
      "b.bin.001",
      "b.bin.tgsplit.json",
    ]);
    // the manifest's text damaged: the item that completes the split fails with the reason
    const broken = new SplitGroups(members);
    const last = members.at(-1)!;
    for (const m of members) {
      const path = `${dir}/out/${m.file.fileName}`;
      const write = m === last ? new TextEncoder().encode("{ not json") : m.bytes;
      const step = broken.step(m, c, async () => (await Deno.writeFile(path, write), { path }));
      if (m === last) {
        await assert.rejects(
          step,
          /b\.bin\.tgsplit\.json: Split manifest is not JSON.*; the pieces were kept$/,
        );
      } else await step;
    }
    assert.equal([...Deno.readDirSync(c.out)].length, members.length);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
