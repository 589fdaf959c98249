/**
 * lib/cli/help_texts.ts (what main.ts prints for plain help requests before commander loads) must
 * be exactly what commander prints for them from the live command tree; regenerate it with
 * `deno run -A scripts/gen_help_table.ts` when a command's help changes.
 */
import assert from "node:assert/strict";
import { HELP_TEXTS } from "../../lib/cli/help_texts.ts";
import { plainHelp } from "../../lib/cli/plain_help.ts";
import { DEFAULT_WIDTH, liveHelp, renderHelpTable } from "../../scripts/gen_help_table.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("the help table is commander's live output for every plain help request", async () => {
  const live = await renderHelpTable();
  assert.deepEqual(HELP_TEXTS, live, "stale: run `deno run -A scripts/gen_help_table.ts`");
  const keys = HELP_TEXTS.flatMap((e) => e.argv);
  for (const k of ["--help", "-h", "help", "export --help", "help export", "dl -h", "config show --help"]) {
    assert.ok(keys.includes(k), `table answers ${k}`);
  }
  assert.equal(new Set(keys).size, keys.length, "each request has one text");
});

Deno.test("texts marked for any width are what commander prints on wider terminals", async () => {
  const wide = HELP_TEXTS.filter((e) => e.anyWidth);
  assert.ok(wide.length > 0);
  for (const e of wide) {
    for (const width of [81, 120, 300]) {
      const argv = e.argv[0].split(" ");
      assert.equal(plainHelp(argv, width), e.text);
      assert.equal((await liveHelp(argv, width)).stdout, e.text, `${e.argv[0]} at ${width} columns`);
    }
  }
});

Deno.test("plainHelp falls back to commander unless the request and the width match exactly", () => {
  const exportHelp = HELP_TEXTS.find((e) => e.argv.includes("export --help"))!;
  assert.equal(exportHelp.anyWidth, false, "export's help wraps at 80");
  assert.equal(plainHelp(["export", "--help"], undefined), exportHelp.text);
  assert.equal(plainHelp(["export", "--help"], DEFAULT_WIDTH), exportHelp.text);
  assert.equal(plainHelp(["export", "--help"], 120), undefined, "wider terminal: commander rewraps");
  assert.equal(plainHelp(["export", "--help"], 60), undefined);
  assert.equal(plainHelp(["export", "--help"], 0), undefined);
  assert.equal(plainHelp(["--json", "export", "--help"], undefined), undefined);
  assert.equal(plainHelp(["export", "@chat", "--help"], undefined), undefined);
  assert.equal(plainHelp(["export --help"], undefined), undefined, "one argument with a space");
  assert.equal(plainHelp(["help", "nosuch"], undefined), undefined);
  assert.equal(plainHelp([], undefined), undefined, "bare tgpipe prints help on stderr, exit 1");
});

Deno.test("main.ts prints the table's text for plain help and commander's for the rest", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--unstable-kv", MAIN, ...args],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
  };
  for (const argv of [["help", "export"], ["--help"], ["config", "show", "-h"]]) {
    const got = await run(...argv);
    assert.equal(got.code, 0, argv.join(" "));
    assert.equal(got.stdout, (await liveHelp(argv, DEFAULT_WIDTH)).stdout, argv.join(" "));
  }
  // not a plain request: commander prints the same help itself
  const viaCommander = await run("--quiet", "export", "--help");
  assert.equal(viaCommander.code, 0);
  assert.equal(viaCommander.stdout, (await liveHelp(["export", "--help"], DEFAULT_WIDTH)).stdout);
});
