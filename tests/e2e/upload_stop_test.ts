/**
 * `tgpipe upload --max-runtime`: the run stops when its time is up (exit 75) with the big file's
 * confirmed parts recorded, and the same command then finishes it from those parts.
 */
import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { arrived, withUploadDc, writeRandom } from "./_upload_helpers.ts";

Deno.test({
  name: "upload --max-runtime: exit 75 mid-file, then the rerun continues from the saved parts",
  fn: () =>
    withUploadDc({
      world: "gen:chats=1,messages=1,files=0",
      // 1 MiB/s per connection: 24 MiB cannot go up within the 1 s budget, however fast the machine
      faults: "bw=1M",
      prefix: "tgpipe_ups_",
    }, async ({ tg, dir, env }) => {
      const sum = await writeRandom(`${dir}/big.bin`, 24 << 20, 77);
      const args = ["--json", "upload", `${dir}/big.bin`];
      const first = await runCli([...args, "--max-runtime", "1s"], { env, timeoutMs: 120_000 });
      assert.equal(first.code, 75, first.stderr);
      assert.equal((await arrived(tg.world)).length, 0, "nothing sent yet");
      const saved = Math.max(
        0,
        ...first.events.flatMap((e) => e.type === "item_progress" ? [e.done_bytes] : []),
      );
      const again = await runCli(args, { env, timeoutMs: 120_000 });
      assert.equal(again.code, 0, again.stderr);
      const got = await arrived(tg.world);
      assert.deepEqual(got.map((g) => g.sha256), [sum]);
      const res = again.events.find((e) => e.type === "result");
      const file = res?.type === "result"
        ? (res.data as { files: Array<{ resumed_parts: number }> }).files[0]
        : undefined;
      // every part confirmed before the stop was not sent again
      assert.ok(
        file && file.resumed_parts >= Math.floor(saved / (512 * 1024)),
        JSON.stringify({ saved, file }),
      );
    }),
});
