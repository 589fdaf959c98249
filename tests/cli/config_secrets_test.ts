import assert from "node:assert/strict";
import { runCli } from "../_helpers/run_cli.ts";
import { configShow } from "../_helpers/config_show.ts";

const API_HASH = "0123456789abcdef0123456789abcdef";
const SESSION = "1BVtsOHwBu7kzQ3mYyV0x9fZpLsecretSessionString==";
const BOT_TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-Ns";
const SECRET_ENV = { TGPIPE_API_HASH: API_HASH, TGPIPE_SESSION_STRING: SESSION, TGPIPE_BOT_TOKEN: BOT_TOKEN };
const SECRETS = [API_HASH, SESSION, BOT_TOKEN];

function assertNoSecret(text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `output contains a secret: ${text}`);
}

Deno.test("config show --json masks secrets from env and says where they came from", async () => {
  const { rows } = await configShow([], { env: SECRET_ENV, secrets: SECRETS });
  for (const key of ["api_hash", "session_string", "bot_token"]) {
    assert.deepEqual([rows.get(key)?.value, rows.get(key)?.source], ["********", "env"], key);
  }
});

Deno.test("config show (human and --verbose) never prints the secrets", async () => {
  for (const flags of [[], ["--verbose"], ["--json", "--verbose"]]) {
    const r = await runCli([...flags, "config", "show"], { env: SECRET_ENV, secrets: SECRETS });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /api_hash\s+\*{8}\s+\(env\)|"api_hash","value":"\*{8}"/);
    assertNoSecret(r.stdout + r.stderr);
  }
});

Deno.test("secrets from a config file are masked too", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_sec_" });
  try {
    await Deno.writeTextFile(
      `${dir}/c.json`,
      JSON.stringify({ api_hash: API_HASH, session_string: SESSION }),
    );
    const { rows } = await configShow(["--config", `${dir}/c.json`], { secrets: SECRETS });
    assert.deepEqual([rows.get("api_hash")?.value, rows.get("api_hash")?.source], ["********", "file"]);
    assert.deepEqual([rows.get("session_string")?.value, rows.get("session_string")?.source], [
      "********",
      "file",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a broken config file's error message does not quote the secret inside it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_sec_" });
  try {
    // Unquoted value: V8's JSON.parse message would quote the text around the error position.
    const files = {
      "bare.json": `{"api_hash": ${API_HASH}}`,
      "trailing.json": `{"api_hash": "${API_HASH}"} x`,
      "wrongtype.json": `{"api_hash": 12345678901234}`,
    };
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      for (const flags of [[], ["--json"], ["--verbose"]]) {
        const r = await runCli([...flags, "--config", `${dir}/${name}`, "config", "show"], {
          secrets: [...SECRETS, "12345678901234"],
        });
        assert.equal(r.code, 2, `${name}: ${r.stderr}`);
        const out = r.stdout + r.stderr;
        // Not even a fragment: no 8 consecutive characters of the secret.
        for (let i = 0; i + 8 <= API_HASH.length; i++) {
          assert.ok(!out.includes(API_HASH.slice(i, i + 8)), `${name} ${flags}: ${out}`);
        }
        assert.ok(!out.includes("12345678901234"), out);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bot_tokens (a list, from a file or comma-separated env) is masked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_sec_" });
  const second = "987654321:BBFhBOweik6ad9r_QXMENQjcrGbqCr4K-Zz";
  try {
    await Deno.writeTextFile(`${dir}/c.json`, JSON.stringify({ bot_tokens: [BOT_TOKEN, second] }));
    const { rows } = await configShow(["--config", `${dir}/c.json`], { secrets: [...SECRETS, second] });
    assert.deepEqual([rows.get("bot_tokens")?.value, rows.get("bot_tokens")?.source], ["********", "file"]);
    const env = { TGPIPE_BOT_TOKENS: `${BOT_TOKEN},${second}` };
    const r = await runCli(["config", "show"], { env, secrets: [...SECRETS, second] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /bot_tokens\s+\*{8}\s+\(env\)/);
    assertNoSecret(r.stdout.replaceAll(second, BOT_TOKEN));
    await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ bot_tokens: [BOT_TOKEN, 5] }));
    const bad = await runCli(["--config", `${dir}/bad.json`, "config", "show"], { secrets: SECRETS });
    assert.notEqual(bad.code, 0);
    assertNoSecret(bad.stdout + bad.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
