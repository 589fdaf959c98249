/**
 * `tgpipe upload` with a free and a premium account against the fake DC, part limits lowered to
 * 2 parts (1 MB) and 4 parts (2 MB) for premium: each file goes to an account whose own limit takes
 * it (a file given to the free account moves to the premium one), a file too big for both is the
 * per-item too_big with the largest limit, and with --split it is cut to the premium limit and
 * every piece goes through the premium account, read back byte for byte.
 */
import assert from "node:assert/strict";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, sha256, withUploadDc, writeRandom } from "./_upload_helpers.ts";

const T = { timeoutMs: 120_000 };
const MB = 1 << 20;

Deno.test({
  name: "upload, a free and a premium account: each account's own limit decides, too_big past both",
  fn: (t) =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      faults: "upload_parts=2,upload_parts_premium=4",
      prefix: "tgpipe_uplim_",
    }, async ({ tg, dir }) => {
      const premium = FAKE_LOGIN.twoFa.userId;
      tg.world.users.get(premium)!.premium = true;
      const second = tg.sessionFor(premium);
      const env = { ...tg.env };
      const both = ["--account", second, "--sort", "none", "--concurrency", "1"];
      const free = `user:${tg.world.selfUserId}`, prem = `user:${premium}`;
      // in the given order, one at a time, the files are the free, premium, free... account's own:
      // the free one cannot take the first, 1.5 MB
      const mid = await writeRandom(`${dir}/mid.bin`, 1.5 * MB, 1);
      const small = await writeRandom(`${dir}/small.bin`, 300_000, 2);
      const small2 = await writeRandom(`${dir}/small2.bin`, 200_000, 4);
      const huge = await writeRandom(`${dir}/huge.bin`, 3 * MB + 5, 3);
      await t.step("1.5 MB goes through the premium account, 3 MB is too big for both", async () => {
        const r = await runCli([
          "--json",
          "upload",
          `${dir}/mid.bin`,
          `${dir}/small.bin`,
          `${dir}/small2.bin`,
          `${dir}/huge.bin`,
          ...both,
          "--kv",
          `${dir}/a.kv`,
        ], { env, secrets: [second], ...T });
        assert.equal(r.code, 3, r.stderr + r.stdout.slice(-2000));
        const mine = await arrived(tg.world, free), theirs = await arrived(tg.world, prem);
        assert.deepEqual(theirs.map((g) => [g.name, g.sha256]), [["mid.bin", mid], ["small.bin", small]]);
        assert.deepEqual(mine.map((g) => [g.name, g.sha256]), [["small2.bin", small2]]);
        const failed = r.events.filter((e) => e.type === "item_failed");
        assert.equal(failed.length, 1, JSON.stringify(failed));
        const f = failed[0];
        assert.ok(f.type === "item_failed" && f.error.code === "TOO_BIG", JSON.stringify(f));
        assert.equal(f.error.data?.limit, 2 * MB, "the largest limit of the pool");
      });
      await t.step("--split cuts to the premium limit; every piece through the premium account", async () => {
        const before = (await arrived(tg.world, prem)).length;
        const mineBefore = (await arrived(tg.world, free)).length;
        const r = await runCli(["upload", `${dir}/huge.bin`, "--split", ...both, "--kv", `${dir}/b.kv`], {
          env,
          secrets: [second],
          ...T,
        });
        assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
        assert.equal((await arrived(tg.world, free)).length, mineBefore, "nothing through the free account");
        const got = (await arrived(tg.world, prem)).slice(before);
        assert.deepEqual(got.map((g) => g.name), ["huge.bin.001", "huge.bin.002", "huge.bin.tgsplit.json"]);
        const blobs = got.slice(0, 2).map((g) =>
          g.msg.media?.kind === "document" ? g.msg.media.doc.blob : undefined
        );
        assert.equal(blobs[0]?.size, 2 * MB, "the first piece is as big as the premium limit");
        const parts = await Promise.all(blobs.map((b) => readBlob(b!, 0, b!.size)));
        assert.equal(sha256(new Uint8Array([...parts[0], ...parts[1]])), huge, "the pieces are the file");
      });
    }),
});
