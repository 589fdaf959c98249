import assert from "node:assert/strict";
import { areaOf, checkSource } from "../../scripts/check_boundaries.ts";

Deno.test("areaOf maps paths to house-rule areas", () => {
  assert.equal(areaOf("main.ts"), "main");
  assert.equal(areaOf("lib/engine/parts.ts"), "engine");
  assert.equal(areaOf("workers/fetch_worker.ts"), "workers");
  assert.equal(areaOf("tests/engine/parts_test.ts"), undefined);
});

Deno.test("npm:telegram outside lib/telegram is a violation", () => {
  assert.equal(checkSource("lib/engine/x.ts", 'import { Api } from "telegram";').length, 1);
  assert.equal(checkSource("lib/export/x.ts", 'import { X } from "npm:telegram@2.26.22/tl";').length, 1);
  assert.equal(checkSource("lib/telegram/client.ts", 'import { Api } from "telegram";').length, 0);
  assert.equal(
    checkSource("tests/fakedc/server.ts", 'import { Api } from "telegram/tl/index.js";').length,
    0,
  );
});

Deno.test("imports against the one-way order are violations", () => {
  assert.equal(checkSource("lib/core/x.ts", 'import { y } from "../engine/y.ts";').length, 1);
  assert.equal(checkSource("lib/engine/x.ts", 'import { y } from "../telegram/y.ts";').length, 1);
  assert.equal(checkSource("lib/export/x.ts", 'import { y } from "../app/y.ts";').length, 1);
  assert.equal(checkSource("lib/app/x.ts", 'import { y } from "../cli/y.ts";').length, 1);
  assert.equal(checkSource("lib/app/x.ts", 'import { y } from "../engine/y.ts";').length, 0);
  assert.equal(checkSource("lib/engine/x.ts", 'import type { E } from "../progress/events.ts";').length, 0);
  assert.equal(
    checkSource("lib/app/x.ts", 'import { fake } from "../../tests/fakedc/cluster.ts";').length,
    1,
  );
});

Deno.test("subprocesses outside the wrapper are violations", () => {
  assert.equal(checkSource("lib/remote/rclone.ts", "const c = new Deno.Command('rclone');").length, 1);
  assert.equal(checkSource("lib/tools/run_tool.ts", "const c = new Deno.Command(path);").length, 0);
  assert.equal(checkSource("lib/grab/x.ts", 'import { spawn } from "node:child_process";').length, 1);
  assert.equal(checkSource("tests/e2e/x_test.ts", "new Deno.Command('deno')").length, 0);
});
