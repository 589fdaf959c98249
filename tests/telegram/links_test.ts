import assert from "node:assert/strict";
import { parseChatSpec, parseMessageLink } from "../../lib/telegram/links.ts";

Deno.test("parseChatSpec reads usernames in every notation", () => {
  for (
    const s of [
      "@durov",
      "durov",
      "t.me/durov",
      "https://t.me/durov",
      "https://t.me/s/durov",
      "tg://resolve?domain=durov",
    ]
  ) {
    assert.deepEqual(parseChatSpec(s), { type: "username", username: "durov" }, s);
  }
});

Deno.test("parseChatSpec reads ids, Bot API ids, private links and me", () => {
  assert.deepEqual(parseChatSpec("12345"), { type: "id", id: 12345 });
  assert.deepEqual(parseChatSpec("-1001234567"), { type: "id", id: 1234567, peer: "channel" });
  assert.deepEqual(parseChatSpec("-4321"), { type: "id", id: 4321, peer: "chat" });
  assert.deepEqual(parseChatSpec("https://t.me/c/1234"), { type: "id", id: 1234, peer: "channel" });
  // a link with a message (or junk) after the chat is not a chat: it is refused, never the whole chat
  for (const s of ["https://t.me/c/1234/56", "https://t.me/durov/abc", "t.me/durov/101", "t.me/s/durov/5"]) {
    assert.throws(() => parseChatSpec(s), RangeError, s);
  }
  assert.deepEqual(parseChatSpec("me"), { type: "me" });
  assert.deepEqual(parseChatSpec(" self "), { type: "me" });
});

Deno.test("parseChatSpec rejects what it cannot read with RangeError", () => {
  for (const s of ["", "@", "a b", "t.me/+AbCdEf", "https://t.me/joinchat/xyz", "t.me/c/abc", "@1abc", "0"]) {
    assert.throws(() => parseChatSpec(s), RangeError, s);
  }
});

Deno.test("parseMessageLink reads public, private, topic and range links", () => {
  assert.deepEqual(parseMessageLink("https://t.me/durov/123"), {
    chat: { type: "username", username: "durov" },
    from: 123,
    to: 123,
  });
  assert.deepEqual(parseMessageLink("t.me/c/777/123?single"), {
    chat: { type: "id", id: 777, peer: "channel" },
    from: 123,
    to: 123,
  });
  assert.deepEqual(parseMessageLink("https://t.me/c/777/5/100-120"), {
    chat: { type: "id", id: 777, peer: "channel" },
    topicId: 5,
    from: 100,
    to: 120,
  });
  assert.deepEqual(parseMessageLink("https://t.me/somegroup/9/41"), {
    chat: { type: "username", username: "somegroup" },
    topicId: 9,
    from: 41,
    to: 41,
  });
  assert.deepEqual(parseMessageLink("t.me/name/100-200"), {
    chat: { type: "username", username: "name" },
    from: 100,
    to: 200,
  });
  assert.deepEqual(parseMessageLink("tg://resolve?domain=durov&post=7"), {
    chat: { type: "username", username: "durov" },
    from: 7,
    to: 7,
  });
});

Deno.test("parseMessageLink rejects non-links, backwards ranges and bad ids", () => {
  for (
    const s of [
      "durov",
      "t.me/durov",
      "t.me/durov/0",
      "t.me/durov/200-100",
      "t.me/c/1/2/3/4",
      "t.me/durov/x",
      "t.me/c/0/5",
    ]
  ) {
    assert.throws(() => parseMessageLink(s), RangeError, s);
  }
});
