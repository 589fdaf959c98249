import assert from "node:assert/strict";
import { configShow } from "../_helpers/config_show.ts";

async function color(flags: string[], env: Record<string, string> = {}): Promise<[unknown, string]> {
  const row = (await configShow(flags, { env })).rows.get("color");
  assert.ok(row);
  return [row.value, row.source];
}

Deno.test("color is on by default (the harness unsets the runner's NO_COLOR)", async () => {
  assert.deepEqual(await color([]), [true, "default"]);
});

Deno.test("NO_COLOR turns color off; an empty NO_COLOR does not (no-color.org)", async () => {
  assert.deepEqual(await color([], { NO_COLOR: "1" }), [false, "default"]);
  assert.deepEqual(await color([], { NO_COLOR: "" }), [true, "default"]);
});

Deno.test("--no-color turns color off, whatever the env says", async () => {
  assert.deepEqual(await color(["--no-color"]), [false, "flag"]);
  assert.deepEqual(await color(["--no-color"], { TGPIPE_COLOR: "1" }), [false, "flag"]);
});

Deno.test("an explicit TGPIPE_COLOR wins over NO_COLOR", async () => {
  assert.deepEqual(await color([], { NO_COLOR: "1", TGPIPE_COLOR: "true" }), [true, "env"]);
});
