import assert from "node:assert/strict";
import { createReporter } from "../../lib/progress/create_reporter.ts";
import { TtyReporter } from "../../lib/progress/tty_reporter.ts";
import { PlainReporter } from "../../lib/progress/plain_reporter.ts";
import { JsonLinesReporter } from "../../lib/progress/json_reporter.ts";

const settings = { json: false, quiet: false, verbose: false, color: true };
const io = (stderrIsTty: boolean) => ({ stdout: () => {}, stderr: () => {}, stderrIsTty });

Deno.test("createReporter: --json wins, then bars on a TTY, then plain lines", async () => {
  const json = createReporter({ ...settings, json: true }, io(true));
  const tty = createReporter(settings, io(true));
  const plain = createReporter(settings, io(false));
  try {
    assert.ok(json instanceof JsonLinesReporter);
    assert.ok(tty instanceof TtyReporter);
    assert.ok(plain instanceof PlainReporter);
  } finally {
    for (const r of [json, tty, plain]) await r.close();
  }
});
