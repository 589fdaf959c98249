/**
 * lib/cli/early_start.ts: which argv starts the early session check (never one naming a proxy),
 * which commands it is started for, and what the early path loads: no GramJS, no node: builtin
 * (the first loads Deno's Node layer) and no npm package but @mtcute/wasm, or it would cost what it
 * is there to save (docs/startup-performance.md).
 */
import assert from "node:assert/strict";
import { EARLY_COMMANDS, earlyFlags } from "../../lib/cli/early_start.ts";
import { TELEGRAM_COMMANDS } from "../../lib/cli/warm_up.ts";
import { startEarlyAccount } from "../../lib/app/shared/early_account.ts";
import { staticImports } from "../_helpers/static_imports.ts";

const REPO = new URL("../../", import.meta.url);

Deno.test("earlyFlags: --config and --session as commander reads them; none with a proxy or after --", () => {
  assert.deepEqual(earlyFlags(["whoami"]), {});
  assert.deepEqual(earlyFlags(["--config", "c.json", "--session=work", "export", "x"]), {
    config: "c.json",
    session: "work",
  });
  assert.deepEqual(earlyFlags(["--session", "a", "whoami", "--session", "b"]), { session: "b" });
  assert.equal(earlyFlags(["--proxy", "socks5://h:1", "whoami"]), undefined);
  assert.equal(earlyFlags(["whoami", "--proxy=tg://proxy?server=h&port=1&secret=00"]), undefined);
  assert.equal(earlyFlags(["export", "--", "--session"]), undefined);
  assert.equal(earlyFlags(["whoami", "--session"]), undefined);
});

Deno.test("the early check starts only for commands that connect the run's own account first", () => {
  for (const c of EARLY_COMMANDS) assert.ok(Object.hasOwn(TELEGRAM_COMMANDS, c), c);
  for (const c of ["login", "logout", "bot run"]) assert.ok(!EARLY_COMMANDS.has(c), c);
});

Deno.test("no early check through a proxy, for a bot token, or without credentials or a session", async () => {
  const base = {
    apiId: 1,
    apiHash: "h",
    endpoints: '{"dcs":{"2":{"host":"127.0.0.1","port":1}}}',
    sessionFile: "/nonexistent/session",
    sessionString: undefined,
  };
  const proxy = { kind: "socks5", host: "127.0.0.1", port: 1 } as const;
  assert.equal(await startEarlyAccount({ ...base, proxy }), false);
  assert.equal(await startEarlyAccount({ ...base, botToken: "1:x" }), false);
  assert.equal(await startEarlyAccount({ ...base, apiId: undefined }), false);
  assert.equal(await startEarlyAccount(base), false, "no session file");
  assert.equal(await startEarlyAccount({ ...base, sessionString: "not a session" }), false);
});

Deno.test("the early path loads no GramJS, no node: builtin and no npm package but @mtcute/wasm", async () => {
  for (const root of ["lib/cli/early_start.ts", "lib/app/shared/early_account.ts"]) {
    const seen = [...await staticImports(root, REPO)];
    const outside = seen.filter((s) => !s.startsWith(REPO.href)).map((s) => s.replace(/@[\d.]+(\/.*)?$/, ""));
    assert.deepEqual(outside.filter((s) => s !== "npm:@mtcute/wasm"), [], root);
    assert.ok(
      seen.some((s) => s.endsWith("lib/telegram/early_check.ts")) || root.startsWith("lib/cli"),
      root,
    );
  }
});
