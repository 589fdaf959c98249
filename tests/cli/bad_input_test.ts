/**
 * Bad input is refused before any work with exit 2 and one line (one `error` event with --json),
 * and nothing is created for it: outputs that are files, progress stores in missing folders,
 * dates that do not exist, empty date ranges; transcribe's all-failed run says so as an error.
 */
import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { testModel, whisperCli } from "../media/media_fixtures.ts";

async function _withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_bad_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function _oneError(r: { code: number; stdout: string; stderr: string; events: Array<{ type: string }> }) {
  assert.equal(r.code, 2, r.stderr);
  const errors = r.events.filter((e) => e.type === "error");
  assert.equal(errors.length, 1, r.stdout);
  assert.equal(r.events.length, 1, "nothing else happened before the refusal");
}

Deno.test("download/export/import --out that is a regular file (or below one): exit 2, one error", async () => {
  await _withDir(async (dir) => {
    const file = `${dir}/file`;
    await Deno.writeTextFile(file, "x");
    for (const out of [file, `${file}/sub`]) {
      for (const cmd of [["download", "@chan"], ["export", "@chan"]]) {
        const r = await runCli(["--json", ...cmd, "--out", out, "--kv", `${dir}/p.kv`]);
        _oneError(r);
        assert.match(JSON.stringify(r.events[0]), /Output directory is not writable/);
        const plain = await runCli([...cmd, "--out", out, "--kv", `${dir}/p.kv`]);
        assert.equal(plain.code, 2);
        assert.equal(plain.stderr.trim().split("\n").length, 1, plain.stderr);
      }
    }
    assert.equal(await Deno.readTextFile(file), "x");
  });
});

Deno.test("--kv in a folder that does not exist is refused (exit 2) and the folder is not created", async () => {
  await _withDir(async (dir) => {
    for (const cmd of [["download", "@chan"], ["export", "@chan"]]) {
      const r = await runCli(["--json", ...cmd, "--out", `${dir}/o`, "--kv", `${dir}/typo/p.kv`]);
      _oneError(r);
      assert.match(JSON.stringify(r.events[0]), /for the progress store does not exist/);
      assert.equal(await Deno.stat(`${dir}/typo`).then(() => true, () => false), false);
      assert.equal(await Deno.stat(`${dir}/o`).then(() => true, () => false), false, "no empty --out left");
    }
  });
});

Deno.test("dates that do not exist and empty date ranges are usage errors", async () => {
  const cases = [
    ["--after", "2024-02-30"],
    ["--after", "2024-04-31"],
    ["--before", "2023-13-01"],
    ["--after", "2024-02-30T10:00:00Z"],
    ["--after", "2024-03-01", "--before", "2024-02-01"],
    ["--after", "2024-03-01", "--before", "2024-03-01"],
  ];
  for (const cmd of [["download", "@chan"], ["export", "@chan"]]) {
    for (const flags of cases) {
      const r = await runCli(["--json", ...cmd, "--out", "o", ...flags]);
      assert.equal(r.code, 2, `${cmd[0]} ${flags.join(" ")}: ${r.stdout}`);
      assert.equal(r.events.filter((e) => e.type === "error").length, 1);
    }
  }
  // a real leap day is fine (the run then stops at the missing credentials, also exit 2, later)
  const leap = await runCli(["--json", "export", "@chan", "--out", "o", "--after", "2024-02-29"]);
  assert.doesNotMatch(JSON.stringify(leap.events), /expected a date/);
});

Deno.test("transcribe: every file failing is exit 1 with an error event; an --out file is exit 2 first", async () => {
  await _withDir(async (dir) => {
    const env = { TGPIPE_WHISPER_MODEL: await testModel(), TGPIPE_WHISPER_CLI: (await whisperCli()).path };
    const r = await runCli(["--json", "transcribe", `${dir}/a.ogg`, `${dir}/b.ogg`], { env });
    assert.equal(r.code, 1, r.stderr);
    const last = r.events.filter((e) => e.type !== "done").at(-1)!;
    assert.ok(last.type === "error" && last.exit_code === 1, JSON.stringify(last));
    assert.equal(r.events.filter((e) => e.type === "item_failed").length, 2);
    await Deno.writeTextFile(`${dir}/out`, "");
    const out = await runCli(["--json", "transcribe", `${dir}/a.ogg`, "--out", `${dir}/out`], { env });
    _oneError(out);
  });
});
