/** Content-Disposition: ASCII names plain, others with an RFC 6266 filename* beside a fallback. */
import assert from "node:assert/strict";
import { contentDisposition } from "../../lib/serve/content_disposition.ts";

Deno.test("content-disposition: ASCII names need no filename*", () => {
  assert.equal(contentDisposition("clip.mp4"), 'inline; filename="clip.mp4"');
  assert.equal(contentDisposition("a b.mp4", { attachment: true }), 'attachment; filename="a b.mp4"');
});

Deno.test("content-disposition: quotes, backslashes and non-ASCII get a fallback and filename*", () => {
  assert.equal(
    contentDisposition('Видео "1".mp4'),
    `inline; filename="_____ _1_.mp4"; filename*=UTF-8''%D0%92%D0%B8%D0%B4%D0%B5%D0%BE%20%221%22.mp4`,
  );
  assert.equal(contentDisposition("a\\b"), `inline; filename="a_b"; filename*=UTF-8''a%5Cb`);
});

Deno.test("content-disposition: control characters never reach the header", () => {
  const v = contentDisposition("a\r\nSet-Cookie: x");
  assert.ok(!/[\r\n]/.test(v), v);
  assert.equal(contentDisposition(""), "inline");
});
