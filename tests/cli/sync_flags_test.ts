import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";

Deno.test("sync: bad flags are usage errors (exit 2) before any connection", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_syncflags_" });
  try {
    const base = ["sync", "@chan", `${dir}/out`, "--temp", `${dir}/tmp`];
    const cases: Array<[string[], RegExp]> = [
      [["--max-disk", "lots"], /--max-disk must be a size/],
      [["--state", "cloud"], /--state/],
      [["--resume-from", "-3"], /--resume-from must be an integer/],
      [["--upload-concurrency", "0"], /--upload-concurrency must be an integer >= 1/],
      [["--save-interval", "soon"], /--save-interval/],
      [["--watch", "often"], /--watch/],
      [["--after", "2024-02-01", "--before", "2024-01-01"], /--after must be earlier/],
    ];
    for (const [flags, re] of cases) {
      const r = await runCli([...base, ...flags], {
        env: { TGPIPE_API_ID: "1", TGPIPE_API_HASH: "abcdef0123" },
      });
      assert.equal(r.code, 2, `${flags.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re, flags.join(" "));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
