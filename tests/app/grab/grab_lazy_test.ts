/**
 * `grab` without --to needs no login and loads no GramJS: the grab use case's static imports stop
 * short of lib/telegram and npm:telegram (send_grabbed.ts, which has them, is imported only for --to).
 */
import assert from "node:assert/strict";
import { staticImports } from "../../_helpers/static_imports.ts";

const REPO = new URL("../../../", import.meta.url);

Deno.test("grab's static imports reach no lib/telegram and no npm:telegram", async () => {
  const seen = await staticImports("lib/app/grab/grab.ts", REPO);
  const heavy = [...seen].filter((s) =>
    s.includes("/lib/telegram/") || s.startsWith("npm:") && /telegram/.test(s)
  );
  assert.deepEqual(heavy, [], "loaded by every grab; import it only for --to");
  assert.ok([...seen].some((s) => s.endsWith("lib/app/grab/grab_item.ts")), "the walk reached the step");
});
