import assert from "node:assert/strict";
import { RECORD_DIR, recordOutput, runCli, type RunRecord } from "./run_cli.ts";

async function findRecord(marker: string): Promise<RunRecord> {
  for await (const entry of Deno.readDir(RECORD_DIR)) {
    const text = await Deno.readTextFile(`${RECORD_DIR}/${entry.name}`).catch(() => "");
    if (text.includes(marker)) return JSON.parse(text) as RunRecord;
  }
  throw new Error(`no record with ${marker}`);
}

Deno.test("runCli isolates HOME and XDG dirs in a temp dir it removes afterwards", async () => {
  const r = await runCli(["config", "show"]);
  assert.equal(r.code, 0, r.stderr);
  const file = r.stdout.match(/^config file: (.*)$/m)?.[1] ?? "";
  const m = file.match(/^(.*\/tgpipe_cli_[^/]+)\/config\/tgpipe\/config\.json$/);
  assert.ok(m, file);
  await assert.rejects(Deno.stat(m[1]), Deno.errors.NotFound);
  assert.deepEqual(r.events, [], "events are only parsed with --json");
});

Deno.test("runCli records output with secrets redacted from args; secret env values count as secrets", async () => {
  const marker = crypto.randomUUID();
  const secret = `pw-${crypto.randomUUID()}`;
  const r = await runCli(["--kv", secret, "--config", `/nonexistent/${marker}.json`, "config", "show"], {
    env: { TGPIPE_API_HASH: `hash-${marker}` },
    secrets: [secret, "ab"],
  });
  assert.equal(r.code, 2);
  const record = await findRecord(marker);
  assert.deepEqual(record.args, [
    "--kv",
    "<secret>",
    "--config",
    `/nonexistent/${marker}.json`,
    "config",
    "show",
  ]);
  assert.deepEqual(record.secrets, [secret, `hash-${marker}`], "too-short secrets are dropped");
  assert.equal(record.stderr, r.stderr);
});

Deno.test("recordOutput records in-process output for the audit", async () => {
  const marker = crypto.randomUUID();
  await recordOutput(`output ${marker}`, ["s3cr3t-value"]);
  const record = await findRecord(marker);
  assert.deepEqual(record, { args: [], secrets: ["s3cr3t-value"], stdout: `output ${marker}`, stderr: "" });
});

Deno.test("runCli kills and fails a run that prints nothing for timeoutMs, naming the command", async () => {
  await assert.rejects(runCli(["--help"], { timeoutMs: 1 }), /tgpipe --help printed nothing for 1 ms/);
});
