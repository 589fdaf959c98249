import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { VERSION } from "../../lib/core/version.ts";

Deno.test("exit 0: --help, --version, config show", async () => {
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: tgpipe/);
  const version = await runCli(["--version"]);
  assert.deepEqual([version.code, version.stdout.trim()], [0, VERSION]);
  const show = await runCli(["config", "show"]);
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.stderr, "");
});

Deno.test("exit 2: unknown command or option, with a one-line error on stderr", async () => {
  const cases = [["bogus"], ["--bogus"], ["config", "show", "--bogus"], ["config", "bogus"], [
    "--json",
    "--bogus",
  ]];
  for (const args of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^error: Unknown (command|option)/m, args.join(" "));
  }
});

Deno.test("exit 2 with --json: a command-line mistake is also one error event on stdout", async () => {
  const r = await runCli(["--json", "export-everything"]);
  assert.equal(r.code, 2);
  assert.equal(r.events.length, 1);
  const [e] = r.events;
  assert.ok(e.type === "error");
  assert.equal(e.exit_code, 2);
  assert.equal(e.error.code, "USAGE");
  assert.match(e.error.message, /^Unknown command 'export-everything'$/);
});

const BAD_CONFIGS: Record<string, [string, RegExp]> = {
  "invalid JSON": ['{"kv": "/x",}', /is not valid JSON/],
  "not an object": ["[1, 2]", /must hold a JSON object/],
  "unknown key": ['{"kv": "/x", "colour": true}', /Unknown key "colour"/],
  "wrong type": ['{"api_id": "many"}', /Invalid number for api_id/],
  "wrong boolean": ['{"quiet": "sometimes"}', /Invalid boolean for quiet/],
};

async function withConfig(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_exit_" });
  try {
    await Deno.writeTextFile(`${dir}/config.json`, text);
    await fn(`${dir}/config.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a bad config file: exit 2 and one line 'error: ...' on stderr, nothing on stdout", async () => {
  for (const [what, [text, want]] of Object.entries(BAD_CONFIGS)) {
    await withConfig(text, async (path) => {
      for (const viaEnv of [false, true]) {
        const args = viaEnv ? ["config", "show"] : ["--config", path, "config", "show"];
        const r = await runCli(args, { env: viaEnv ? { TGPIPE_CONFIG: path } : {} });
        assert.equal(r.code, 2, what);
        assert.equal(r.stdout, "", what);
        const lines = r.stderr.split("\n").filter((l) => l !== "");
        assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
        assert.match(lines[0], /^error: [A-Z]/, what);
        assert.match(lines[0], want, what);
        assert.doesNotMatch(lines[0], /\.$/, `${what}: no final period`);
      }
    });
  }
});

Deno.test("a bad config file with --json: exactly one error event on stdout, nothing on stderr", async () => {
  for (const [what, [text, want]] of Object.entries(BAD_CONFIGS)) {
    await withConfig(text, async (path) => {
      const r = await runCli(["--json", "--config", path, "config", "show"]);
      assert.equal(r.code, 2, what);
      assert.equal(r.stderr, "", what);
      assert.equal(r.events.length, 1, `${what}: ${r.stdout}`);
      const e = r.events[0];
      assert.ok(e.type === "error", what);
      assert.equal(e.exit_code, 2);
      assert.equal(e.error.code, "CONFIG");
      assert.match(e.error.message, want, what);
      assert.equal(e.error.data?.path, path);
    });
  }
});

Deno.test("a missing explicit config file is an error, a missing XDG one is not", async () => {
  const r = await runCli(["--config", "/nonexistent/tgpipe.json", "config", "show"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: Cannot read config file \/nonexistent\/tgpipe.json/);
  assert.equal((await runCli(["config", "show"], { env: { XDG_CONFIG_HOME: "/nonexistent" } })).code, 0);
});

Deno.test("--verbose adds a stack trace to an error; without it there is none", async () => {
  await withConfig("{", async (path) => {
    const plain = await runCli(["--config", path, "config", "show"]);
    assert.equal(plain.code, 2);
    assert.doesNotMatch(plain.stderr, /^\s+at /m);
    const verbose = await runCli(["--verbose", "--config", path, "config", "show"]);
    assert.equal(verbose.code, 2);
    assert.match(verbose.stderr, /^error: Config file .* is not valid JSON/);
    assert.match(verbose.stderr, /^\s+at .*load_settings\.ts/m);
  });
});
