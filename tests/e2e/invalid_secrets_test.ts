/**
 * Runs with invalid secrets — malformed session strings, bad bot tokens, a wrong api_hash — end
 * with exit 4 (or 2) and never echo the secret: not in stdout, stderr or events (human, --json,
 * --verbose), not in any file the run leaves behind (KV store, --out, session and cache dirs).
 * Every run is also recorded for the suite-wide audit (tests/audit/secrets_audit_test.ts).
 *
 * Invalid session strings: malformed ones, and well-formed ones whose auth key the server does
 * not know (transport error -404, lib/telegram/dead_session.ts), all exit 4 at once.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";

/** The shortest piece of a secret that must not show up anywhere (whole secret if shorter). */
const PIECE = 10;
const FLAG_SETS = [[], ["--json"], ["--verbose"], ["--json", "--verbose"]];
const CHAT = "@gen_channel_0";

/** A secret-looking value no output could contain by chance. */
function _secret(prefix: string): string {
  return prefix + crypto.randomUUID().replaceAll("-", "");
}

/** Every PIECE-long slice of `secret`: finding any of them means part of it leaked. */
function _pieces(secret: string): string[] {
  if (secret.length <= PIECE) return [secret];
  return Array.from({ length: secret.length - PIECE + 1 }, (_, i) => secret.slice(i, i + PIECE));
}

/** Where in `text` a piece of a secret shows up, or undefined. */
function _leak(text: string, secrets: string[]): string | undefined {
  for (const s of secrets) {
    const p = _pieces(s).find((piece) => text.includes(piece));
    if (p !== undefined) return `"${p.slice(0, 3)}…" of a ${s.length}-char secret`;
  }
  return undefined;
}

/** Every file under `dir` (binary ones too, read as latin1 so any byte sequence matches). */
async function _files(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile) {
        out.push({ path: p, text: new TextDecoder("latin1").decode(await Deno.readFile(p)) });
      }
    }
  };
  await walk(dir);
  return out;
}

/**
 * Runs tgpipe with its HOME, XDG dirs, KV file and --out inside a fresh directory, asserts the
 * exit code, then that no piece of the secrets is in its output, its events or any file there.
 */
async function _run(
  tg: FakeTelegram,
  args: (root: string) => string[],
  o: { env: Record<string, string>; secrets: string[]; code: number; stderr?: RegExp },
): Promise<RunCliResult> {
  const root = await Deno.makeTempDir({ prefix: "tgpipe_badsecret_" });
  try {
    // TGPIPE_KV names a folder of its own: tgpipe creates only the default location's folder
    await Deno.mkdir(`${root}/data`);
    const { TGPIPE_SESSION: _, ...base } = tg.env;
    const env = {
      ...base,
      HOME: root,
      XDG_CONFIG_HOME: `${root}/config`,
      XDG_DATA_HOME: `${root}/data`,
      XDG_CACHE_HOME: `${root}/cache`,
      XDG_STATE_HOME: `${root}/state`,
      TGPIPE_KV: `${root}/data/p.kv`,
      ...o.env,
    };
    const argv = args(root);
    const r = await runCli(argv, { env, secrets: o.secrets });
    const what = `tgpipe ${argv.join(" ").replaceAll(root, "<tmp>")}`;
    // leaks first: the messages below quote the output
    for (const [name, text] of [["stdout", r.stdout], ["stderr", r.stderr]]) {
      const leak = _leak(text, o.secrets);
      assert.equal(leak, undefined, `${what}: ${name} holds ${leak}`);
    }
    const leak = _leak(JSON.stringify(r.events), o.secrets);
    assert.equal(leak, undefined, `${what}: events hold ${leak}`);
    for (const f of await _files(root)) {
      const inFile = _leak(f.text, o.secrets);
      assert.equal(inFile, undefined, `${what}: ${f.path.replace(root, "<tmp>")} holds ${inFile}`);
    }
    assert.equal(r.code, o.code, `${what}: exit ${r.code}\n${r.stderr}`);
    if (o.stderr && !argv.includes("--json") && !argv.includes("--verbose")) {
      assert.match(r.stderr, o.stderr, what);
    }
    if (argv.includes("--json") && o.code !== 0) {
      const err = r.events.find((e) => e.type === "error");
      assert.ok(err && err.type === "error" && err.exit_code === o.code, `${what}: no error event`);
    }
    return r;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function _withDc(fn: (tg: FakeTelegram) => Promise<void>): Promise<void> {
  const tg = await startFakeTelegram({ world: "gen:chats=2,messages=20,files=2,file_size=8KB", basePort: 0 });
  try {
    await fn(tg);
  } finally {
    await tg.close();
  }
}

/** Invalid session strings and the error each gets. */
function _badSessions(tg: FakeTelegram): Array<{ session: string; stderr: RegExp }> {
  const real = tg.sessionFor();
  const malformed = /^error: The session string is not valid; run `tgpipe login` again\n$/;
  const dead =
    /^error: The Telegram session is no longer valid \(the server does not know its key\); run `tgpipe login` again\n$/;
  // well-formed, but the 256-byte auth key is one the server never made: transport error -404
  const b = Buffer.from(real.slice(1), "base64");
  b.set(crypto.getRandomValues(new Uint8Array(256)), 7);
  return [
    { session: _secret("1garbageSecret"), stderr: malformed },
    // a real, registered session with an unknown version byte
    { session: "9" + real.slice(1), stderr: malformed },
    { session: "1" + _secret("!!not*base64#") + "%%", stderr: malformed },
    { session: "1" + b.toString("base64"), stderr: dead },
    // cut short: its key is too short to be one (refused before connecting)
    { session: real.slice(0, 200), stderr: malformed },
  ];
}

Deno.test("invalid session strings exit 4 from every command and never echo the string", async () => {
  await _withDc(async (tg) => {
    const commands: Array<(root: string) => string[]> = [
      () => ["whoami"],
      () => ["chats"],
      (root) => ["export", CHAT, "--out", `${root}/out`],
      (root) => ["dl", CHAT, "--out", `${root}/out`],
    ];
    for (const [k, { session, stderr }] of _badSessions(tg).entries()) {
      // every flag set for the first malformed and the first dead-key string, one for the others
      for (const flags of k === 0 || k === 3 ? FLAG_SETS : [FLAG_SETS[k % FLAG_SETS.length]]) {
        await _run(tg, () => [...flags, "whoami"], {
          env: { TGPIPE_SESSION_STRING: session },
          secrets: [session],
          code: 4,
          stderr,
        });
      }
      // the other commands, each with another flag set per session kind
      for (const [i, cmd] of commands.slice(1).entries()) {
        const flags = FLAG_SETS[(i + k) % FLAG_SETS.length];
        await _run(tg, (root) => [...flags, ...cmd(root)], {
          env: { TGPIPE_SESSION_STRING: session },
          secrets: [session],
          code: 4,
          stderr,
        });
      }
    }
  });
});

Deno.test("a malformed session string in TGPIPE_SESSION, --account or login --session-string is not echoed", async () => {
  await _withDc(async (tg) => {
    const [garbage, badVersion] = _badSessions(tg).map((b) => b.session);
    for (const flags of [[], ["--json", "--verbose"]]) {
      // too short to be taken for a string: it is a session file path that does not exist
      await _run(tg, () => [...flags, "whoami"], {
        env: { TGPIPE_SESSION: garbage },
        secrets: [garbage],
        code: 4,
        stderr: /^error: Not logged in; run `tgpipe login` first\n$/,
      });
      await _run(
        tg,
        (root) => [...flags, "login", "--session", `${root}/s`, "--session-string", badVersion],
        {
          env: {},
          secrets: [badVersion],
          code: 4,
        },
      );
      await _run(tg, (root) => [...flags, "dl", CHAT, "--out", `${root}/out`, "--account", badVersion], {
        env: { TGPIPE_SESSION_STRING: tg.sessionFor() },
        secrets: [badVersion],
        code: 4,
      });
    }
  });
});

Deno.test("bad bot tokens (flag or env, well-formed or not) exit 4 and are never echoed", async () => {
  await _withDc(async (tg) => {
    const tokens = [`987654:${_secret("WRONGtoken")}`, _secret("not-a-token-")];
    for (const token of tokens) {
      for (const flags of FLAG_SETS) {
        await _run(tg, (root) => [...flags, "--session", `${root}/s`, "login", "--bot-token", token], {
          env: {},
          secrets: [token],
          code: 4,
          stderr: /^error: The bot token is invalid\n$/,
        });
      }
      await _run(tg, (root) => ["--json", "--session", `${root}/s`, "login", "--bot"], {
        env: { TGPIPE_BOT_TOKEN: token },
        secrets: [token],
        code: 4,
      });
    }
  });
});

Deno.test("a wrong api_hash fails login with exit 4, a missing api_id exits 2; the hash is never echoed", async () => {
  await _withDc(async (tg) => {
    const hash = crypto.randomUUID().replaceAll("-", "");
    for (const flags of FLAG_SETS) {
      await _run(
        tg,
        (root) => [...flags, "--session", `${root}/s`, "login", "--bot-token", FAKE_LOGIN.bot.token],
        {
          env: { TGPIPE_API_HASH: hash },
          secrets: [hash, FAKE_LOGIN.bot.token],
          code: 4,
          stderr: /^error: The api_id\/api_hash pair is not valid/,
        },
      );
    }
    const { phone, code } = FAKE_LOGIN.user;
    await _run(
      tg,
      (root) => ["--verbose", "--session", `${root}/s`, "login", "--phone", phone, "--code", code],
      {
        env: { TGPIPE_API_HASH: hash },
        secrets: [hash],
        code: 4,
      },
    );
    for (const flags of [[], ["--json", "--verbose"]]) {
      await _run(tg, (root) => [...flags, "export", CHAT, "--out", `${root}/out`], {
        env: { TGPIPE_API_HASH: hash, TGPIPE_API_ID: "", TGPIPE_SESSION_STRING: tg.sessionFor() },
        secrets: [hash],
        code: 2,
        stderr: /^error: Telegram API credentials missing/,
      });
      // Telegram checks the hash only where it is sent (login): a logged-in session still works
      await _run(tg, () => [...flags, "whoami"], {
        env: { TGPIPE_API_HASH: hash, TGPIPE_SESSION_STRING: tg.sessionFor() },
        secrets: [hash],
        code: 0,
      });
    }
  });
});
