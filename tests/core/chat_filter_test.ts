import assert from "node:assert/strict";
import { chatMatches, parseChatTypes, parseNamePattern } from "../../lib/core/chat_filter.ts";
import { UsageError } from "../../lib/core/errors.ts";

Deno.test("parseChatTypes maps Desktop's types to kinds and refuses unknown ones", () => {
  assert.deepEqual([...parseChatTypes("personal, bot")].sort(), ["bot", "saved", "user"]);
  assert.deepEqual([...parseChatTypes("group")].sort(), ["forum", "group", "supergroup"]);
  assert.deepEqual([...parseChatTypes("Channel,forum")].sort(), ["channel", "forum"]);
  assert.throws(
    () => parseChatTypes("channels"),
    (e) => e instanceof UsageError && /personal, bot/.test(e.message),
  );
  assert.throws(() => parseChatTypes(" , "), UsageError);
});

Deno.test("chatMatches: kinds, name on title or username, public, unread", () => {
  const c = { kind: "channel" as const, title: "Tech News", username: "technews", unread_count: 0 };
  assert.ok(chatMatches(c, {}));
  assert.ok(chatMatches(c, { kinds: parseChatTypes("channel"), name: parseNamePattern("news") }));
  assert.ok(chatMatches(c, { name: parseNamePattern("^technews$") }), "matches the username");
  assert.ok(!chatMatches(c, { kinds: parseChatTypes("group") }));
  assert.ok(!chatMatches(c, { unread: true }));
  assert.ok(chatMatches({ ...c, unread_count: 2 }, { unread: true }));
  assert.ok(!chatMatches({ ...c, username: undefined }, { hasUsername: true }));
  assert.ok(chatMatches({ ...c, username: undefined }, { hasUsername: false }));
  assert.throws(
    () => parseNamePattern("(unclosed"),
    (e) => e instanceof UsageError && /--name/.test(e.message),
  );
});
