/**
 * Whether a tgpipe run loaded GramJS, seen from outside: each run gets a localStorage of its own
 * (`--location`), where loading GramJS leaves its schema cache and lib/telegram/schema_cache.ts the
 * cache's owner (tests/e2e/startup_gramjs_test.ts, startup_early_check_test.ts).
 */
import assert from "node:assert/strict";
import { GRAMJS_CACHE_KEY, OWNER_KEY } from "../../lib/telegram/schema_cache.ts";

/** What the origin's localStorage holds: the owner key and the cache's number of definitions. */
export interface Stored {
  owner: string | null;
  definitions: number | null;
}

/** Runs `code` in a `deno eval` with the origin's localStorage. */
export async function evalAt(origin: string, code: string): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `--location=${origin}`, code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** What GramJS left in the origin's localStorage (nulls: GramJS was never loaded there). */
export async function storedCache(origin: string): Promise<Stored> {
  return JSON.parse(
    await evalAt(
      origin,
      `const c = localStorage.getItem(${JSON.stringify(GRAMJS_CACHE_KEY)});
      console.log(JSON.stringify({ owner: localStorage.getItem(${JSON.stringify(OWNER_KEY)}),
        definitions: c === null ? null : JSON.parse(c).length }));`,
    ),
  );
}

/** A fresh origin for one test; `done` removes its localStorage (Deno keeps it by the origin's SHA-256). */
export function freshOrigin(): { origin: string; done: () => Promise<void> } {
  const origin = `http://tgpipe-startup-${crypto.randomUUID()}.test`;
  return {
    origin,
    done: async () => {
      const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
        .output();
      const dir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
      const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(origin));
      const name = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
      await evalAt(origin, "localStorage.clear()");
      await Deno.remove(`${dir}/location_data/${name}`, { recursive: true }).catch(() => {});
    },
  };
}
