/**
 * A session whose auth key the server does not know (transport error -404), a key from another
 * DC, a truncated or a random string: every command exits 4 within seconds, never printing any
 * part of the session string (issue #19).
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli, type RunCliResult } from "../_helpers/run_cli.ts";

/** Well above the seconds a dead session may take; the old behaviour took minutes. */
const LIMIT_MS = 15_000;

type Tg = Awaited<ReturnType<typeof startFakeTelegram>>;

/** The four broken sessions, built from a real one the fake DC knows. */
function _brokenSessions(tg: Tg): Record<string, string> {
  const real = Buffer.from(tg.sessionFor().slice(1), "base64");
  const unknown = Buffer.from(real);
  crypto.getRandomValues(unknown.subarray(7));
  unknown[7] |= 0x80;
  const otherDc = Buffer.from(real);
  otherDc[0] = 1; // the key was made on DC 2
  const full = "1" + real.toString("base64");
  return {
    unknown_key: "1" + unknown.toString("base64"),
    other_dc: "1" + otherDc.toString("base64"),
    // still long enough to be taken for a session string, not a file path (lib/cli/session_env.ts)
    truncated: full.slice(0, 330),
    truncated_short: full.slice(0, 120),
    random: "1" + Buffer.from(crypto.getRandomValues(new Uint8Array(263))).toString("base64"),
  };
}

/** Asserts exit 4, a one-line error and no piece of the session string in any output. */
function _assertDead(r: RunCliResult, session: string, what: string): void {
  assert.equal(r.code, 4, `${what}: ${r.stderr}${r.stdout}`);
  const out = r.stdout + r.stderr;
  // any 12-character run of the string would give part of the key away
  const body = session.slice(1);
  for (let i = 0; i + 12 <= body.length; i += 6) {
    assert.ok(!out.includes(body.slice(i, i + 12)), `${what}: output contains part of the session`);
  }
  assert.doesNotMatch(out, /INTERNAL|TIMEOUT/, what);
}

async function _timed(fn: () => Promise<RunCliResult>): Promise<[RunCliResult, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, Math.round(performance.now() - t0)];
}

Deno.test({
  name: "whoami with an unknown, foreign-DC, truncated or random session exits 4 within seconds",
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({ world: "gen:chats=2,messages=10", basePort: 0 });
    try {
      const times: string[] = [];
      for (const [what, session] of Object.entries(_brokenSessions(tg))) {
        // a short string is only a string when given as one: TGPIPE_SESSION would take it for a path
        const env = what === "truncated_short"
          ? {
            ...Object.fromEntries(Object.entries(tg.env).filter(([k]) => k !== "TGPIPE_SESSION")),
            TGPIPE_SESSION_STRING: session,
          }
          : { ...tg.env, TGPIPE_SESSION: session };
        for (const args of [["whoami"], ["--json", "whoami"], ["--verbose", "whoami"]]) {
          const [r, ms] = await _timed(() => runCli(args, { env, secrets: [session], timeoutMs: 25_000 }));
          _assertDead(r, session, `${what} ${args.join(" ")}`);
          assert.ok(ms < LIMIT_MS, `${what} ${args.join(" ")} took ${ms} ms`);
          if (args[0] === "--json") {
            const err = r.events.find((e) => e.type === "error");
            assert.ok(err && err.type === "error" && err.error.code === "LOGIN_REQUIRED", r.stdout);
          } else if (args[0] === "whoami") {
            assert.match(r.stderr, /^error: [^\n]*tgpipe login[^\n]*\n$/, what);
            // the server's verdict for a well-formed string, tgpipe's own for a malformed one
            // (random bytes name one of the fake DCs 3 times in 256: then it is the server's verdict)
            const verdict = what === "unknown_key" || what === "other_dc"
              ? /no longer valid/
              : what === "random"
              ? /no longer valid|string is not valid/
              : /string is not valid/;
            assert.match(r.stderr, verdict, what);
          }
          times.push(`${what} ${args.join(" ")}: ${ms} ms`);
        }
      }
      console.log(times.join("\n"));
    } finally {
      await tg.close();
    }
  },
});

Deno.test({
  name: "download and export with a session the server does not know exit 4 within seconds",
  sanitizeOps: false,
  fn: async () => {
    const tg = await startFakeTelegram({ world: "gen:chats=2,messages=10", basePort: 0 });
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_dead_" });
    try {
      const { unknown_key, other_dc } = _brokenSessions(tg);
      const runs: Array<[string, string, string[]]> = [
        ["download", unknown_key, [
          "--json",
          "download",
          "https://t.me/gen_channel_0/1",
          "--out",
          `${dir}/d`,
        ]],
        ["export", other_dc, ["--verbose", "export", "gen_channel_0", "--out", `${dir}/e`]],
      ];
      for (const [what, session, args] of runs) {
        const env = { ...tg.env, TGPIPE_SESSION: session, TGPIPE_KV: `${dir}/${what}.kv` };
        const [r, ms] = await _timed(() => runCli(args, { env, secrets: [session], timeoutMs: 25_000 }));
        _assertDead(r, session, what);
        assert.ok(ms < LIMIT_MS, `${what} took ${ms} ms`);
        console.log(`${what}: ${ms} ms`);
      }
    } finally {
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
