/**
 * When tgpipe loads GramJS, seen from outside: each run gets a localStorage of its own (`--location`),
 * where loading GramJS leaves its schema cache and lib/telegram/schema_cache.ts the cache's owner.
 * Commands that do not talk to Telegram must leave it empty (GramJS costs most of a Telegram
 * command's start-up: docs/startup-performance.md); a Telegram command loads it (lib/cli/warm_up.ts
 * starts that early) and must not build GramJS from a cache another GramJS version wrote.
 */
import assert from "node:assert/strict";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli } from "../_helpers/run_cli.ts";
import { GRAMJS_CACHE_KEY, gramJsCacheOwner, OWNER_KEY } from "../../lib/telegram/schema_cache.ts";

/** What the origin's localStorage holds: the owner key and the cache's number of definitions. */
interface Stored {
  owner: string | null;
  definitions: number | null;
}

/** Runs `code` in a `deno eval` with the origin's localStorage. */
async function _eval(origin: string, code: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `--location=${origin}`, code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

async function _stored(origin: string): Promise<Stored> {
  return JSON.parse(
    await _eval(
      origin,
      `const c = localStorage.getItem(${JSON.stringify(GRAMJS_CACHE_KEY)});
      console.log(JSON.stringify({ owner: localStorage.getItem(${JSON.stringify(OWNER_KEY)}),
        definitions: c === null ? null : JSON.parse(c).length }));`,
    ),
  );
}

/** A fresh origin for one test; `done` removes its localStorage (Deno keeps it by the origin's SHA-256). */
function _origin(): { origin: string; done: () => Promise<void> } {
  const origin = `http://tgpipe-startup-${crypto.randomUUID()}.test`;
  return {
    origin,
    done: async () => {
      const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
        .output();
      const dir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
      const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(origin));
      const name = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
      await _eval(origin, "localStorage.clear()");
      await Deno.remove(`${dir}/location_data/${name}`, { recursive: true }).catch(() => {});
    },
  };
}

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

Deno.test("whoami builds GramJS from its own schema when the cache was written by another GramJS", async () => {
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
    const r = await runCli(["whoami"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^id\\s+${tg.world.selfUserId}$`, "m"));
    const after = await _stored(origin);
    assert.equal(after.owner, gramJsCacheOwner());
    assert.ok((after.definitions ?? 0) > 1000, `GramJS cached ${after.definitions} definitions`);
    // the next run keeps that cache
    const again = await runCli(["whoami"], { env: tg.env, denoFlags: [`--location=${origin}`] });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await _stored(origin), after);
  } finally {
    await tg.close();
    await done();
  }
});
