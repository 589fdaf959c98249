import assert from "node:assert/strict";
import { parseBotText } from "../../../lib/app/bot/bot_text.ts";

Deno.test("parseBotText: commands, with args, for this bot or another", () => {
  assert.deepEqual(parseBotText("/start"), { kind: "command", command: "start", args: "" });
  assert.deepEqual(parseBotText("  /HELP  "), { kind: "command", command: "help", args: "" });
  assert.deepEqual(parseBotText("/admin@Media_Bot now", "media_bot"), {
    kind: "command",
    command: "admin",
    args: "now",
  });
  assert.deepEqual(parseBotText("/start@other_bot", "media_bot"), { kind: "text" });
  assert.deepEqual(parseBotText("/frobnicate"), { kind: "unknown_command", command: "frobnicate" });
});

Deno.test("parseBotText: the first link, without the punctuation after it", () => {
  assert.deepEqual(parseBotText("see https://youtu.be/abc123."), {
    kind: "link",
    url: "https://youtu.be/abc123",
  });
  assert.deepEqual(parseBotText("(https://www.tiktok.com/@u/video/1?x=1)"), {
    kind: "link",
    url: "https://www.tiktok.com/@u/video/1?x=1",
  });
  assert.deepEqual(parseBotText("a http://127.0.0.1:8080/v.mp4 b https://x.y/z"), {
    kind: "link",
    url: "http://127.0.0.1:8080/v.mp4",
  });
  assert.deepEqual(parseBotText("no link here, ftp://x.y/z"), { kind: "text" });
  assert.deepEqual(parseBotText("http://[oops]/x"), { kind: "text" });
});
