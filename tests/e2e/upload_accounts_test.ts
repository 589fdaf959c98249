/**
 * `tgpipe upload` with two accounts against the fake DC: the files are shared between them (each
 * file uploaded and sent by one account, into that account's own Saved Messages), and when one
 * account hits a FLOOD_WAIT (saveFilePart rate rule per account) its file moves to the free one
 * instead of waiting.
 */
import assert from "node:assert/strict";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, withUploadDc, writeRandom } from "./_upload_helpers.ts";

Deno.test({
  name: "upload, two accounts: files shared, a flooded account's file moves to the free one",
  fn: () =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      // 12 saveFilePart per account per 10 minutes: the first account floods with a wait far longer
      // than the run, so the files can only finish through the other account
      faults: "rule=upload.SaveFilePart:12/600",
      prefix: "tgpipe_upa_",
    }, async ({ tg, dir }) => {
      const sums = new Map<string, string>();
      const files: string[] = [];
      // in the given order (--sort none) the first account gets the 4-part files, the second the
      // 1-part ones: only the first one passes 12 parts, and its last file fits in the second's budget
      for (let i = 0; i < 8; i++) {
        const f = `${dir}/f${i}.bin`;
        sums.set(
          `f${i}.bin`,
          await writeRandom(f, i % 2 === 0 ? 3 * 512 * 1024 + 100 + i : 1000 + i, 40 + i),
        );
        files.push(f);
      }
      const second = tg.sessionFor(FAKE_LOGIN.twoFa.userId);
      const r = await runCli([
        "--json",
        "upload",
        ...files,
        "--sort",
        "none",
        // one file at a time: the items reach the accounts in turn, in this order
        "--concurrency",
        "1",
        "--account",
        second,
        "--stall-timeout",
        "120",
      ], {
        env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` },
        secrets: [second],
        timeoutMs: 120_000,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-3000));
      const mine = await arrived(tg.world);
      const theirs = await arrived(tg.world, `user:${FAKE_LOGIN.twoFa.userId}`);
      assert.ok(mine.length > 0 && theirs.length > 0, `shared: ${mine.length} + ${theirs.length}`);
      const all = [...mine, ...theirs];
      assert.deepEqual(all.map((g) => g.name).sort(), [...sums.keys()].sort(), "each file exactly once");
      for (const g of all) assert.equal(g.sha256, sums.get(g.name), g.name);
      const pauses = r.events.filter((e) => e.type === "pause");
      assert.ok(pauses.length > 0, "an account was flooded");
      assert.ok(pauses.every((e) => e.type === "pause" && e.reason === "flood_wait" && e.seconds > 60));
      const done = r.events.find((e) => e.type === "done")!;
      // finished through the other account, long before the flooded one's wait was over
      const waited = Date.parse(done.ts) - Date.parse(pauses[0].ts);
      assert.ok(waited < 60_000, `done ${waited} ms after the first pause`);
    }),
});
