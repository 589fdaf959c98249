import assert from "node:assert/strict";
import { runCli, type RunCliOptions } from "./run_cli.ts";

/** One row of `tgpipe --json config show`. */
export interface ConfigRow {
  key: string;
  value: unknown;
  source: "flag" | "env" | "file" | "default";
  env: string;
}

/** Runs `tgpipe --json [flags] config show`, asserts exit 0, returns rows by config-file key. */
export async function configShow(
  flags: string[],
  opts: RunCliOptions = {},
): Promise<{ configFile: string; rows: Map<string, ConfigRow> }> {
  const r = await runCli(["--json", ...flags, "config", "show"], opts);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.events.length, 1, r.stdout);
  const e = r.events[0];
  assert.ok(e.type === "result" && e.kind === "config", r.stdout);
  const data = e.data as { config_file: string; settings: ConfigRow[] };
  return { configFile: data.config_file, rows: new Map(data.settings.map((s) => [s.key, s])) };
}
