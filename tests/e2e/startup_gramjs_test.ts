/**
 * When tgpipe loads GramJS, seen from outside: each run gets a localStorage of its own (`--location`),
 * where loading GramJS leaves its schema cache and lib/telegram/schema_cache.ts the cache's owner.
 * Commands that do not talk to Telegram must leave it empty (GramJS costs most of a Telegram
 * command's start-up: docs/startup-performance.md); a Telegram command loads it (lib/cli/warm_up.ts
 * starts that early; whoami only when the early session check could not tell) and must not build
 * GramJS from a cache another GramJS version wrote.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { GRAMJS_CACHE_KEY, gramJsCacheOwner, OWNER_KEY } from "../../lib/telegram/schema_cache.ts";
import { evalAt as _eval, freshOrigin as _origin, storedCache as _stored } from "./_gramjs_cache.ts";

Deno.test("--version, --help and config show do not load GramJS", async () => {
  const { origin, done } = _origin();
  try {
    for (const args of [["--version"], ["--help"], ["config", "show"], ["--json", "config", "show"]]) {
      const r = await runCli(args, { denoFlags: [`--location=${origin}`] });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(
        await _stored(origin),
        { owner: null, definitions: null },
        `${args.join(" ")} loaded GramJS`,
      );
    }
  } finally {
    await done();
  }
});

// chats, not whoami: whoami answers from the early session check without GramJS (startup_early_check_test.ts)
Deno.test("chats builds GramJS from its own schema when the cache was written by another GramJS", async () => {
  const { origin, done } = _origin();
  const tg = await startFakeTelegram({ world: "gen:chats=1,messages=1", basePort: 0 });
  try {
    // another version's cache: GramJS would build its classes from it (here: none at all)
    const other = gramJsCacheOwner().replace(/telegram@[^/]+/, "telegram@2.0.0");
    await _eval(
      origin,
      `localStorage.setItem(${JSON.stringify(GRAMJS_CACHE_KEY)}, "[]");
      localStorage.setItem(${JSON.stringify(OWNER_KEY)}, ${JSON.stringify(other)});`,
    );
    const r = await runCli(["chats"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /gen_channel_0/);
    const after = await _stored(origin);
    assert.equal(after.owner, gramJsCacheOwner());
    assert.ok((after.definitions ?? 0) > 1000, `GramJS cached ${after.definitions} definitions`);
    // the next run keeps that cache
    const again = await runCli(["chats"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await _stored(origin), after);
  } finally {
    await tg.close();
    await done();
  }
});
