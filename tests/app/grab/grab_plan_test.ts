import assert from "node:assert/strict";
import { planLinks } from "../../../lib/app/grab/grab_plan.ts";
import { UsageError } from "../../../lib/core/errors.ts";

Deno.test("planLinks: one item per distinct link, in order, with its platform and a short name", () => {
  const items = planLinks([
    " https://youtu.be/dQw4w9WgXcQ ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1&index=2&pp=tracking",
    "https://youtu.be/dQw4w9WgXcQ",
    "",
    "https://example.com/videos/clip",
  ]);
  assert.deepEqual(items.map((i) => [i.id, i.platform.id, i.name]), [
    ["https://youtu.be/dQw4w9WgXcQ", "youtube", "youtu.be/dQw4w9WgXcQ"],
    [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL1&index=2&pp=tracking",
      "youtube",
      "www.youtube.com/watch?v=dQw4w9WgXcQ",
    ],
    ["https://example.com/videos/clip", "generic", "example.com/videos/clip"],
  ]);
});

Deno.test("planLinks refuses no links and a link that is not http(s) with a UsageError (exit 2)", () => {
  assert.throws(() => planLinks([]), UsageError);
  assert.throws(() => planLinks(["  "]), /No links to grab/);
  const e = (() => {
    try {
      planLinks(["https://youtu.be/x1234567", "www.tiktok.com/@a/video/1"]);
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  assert.ok(e instanceof UsageError);
  assert.match(e.message, /^Not a link: www\.tiktok\.com/);
  assert.equal(e.exitCode, 2);
});
