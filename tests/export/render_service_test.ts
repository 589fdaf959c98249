import assert from "node:assert/strict";
import type { Message, ServiceAction } from "../../lib/core/message.ts";
import { renderServiceLine } from "../../lib/export/render_service.ts";

const msg: Message = { id: 9, chat_id: 1, date: 0, text: "", entities: [] };
const line = (a: Omit<ServiceAction, "actor">) =>
  renderServiceLine({ actor: { name: "Ann" }, ...a }, msg, (id) => id === 4 ? "chats/1/notes/4" : undefined);

Deno.test("service lines: topic edits say what changed, Desktop's bare topic_edit says edited", () => {
  assert.equal(
    line({ type: "topic_edit", title: "Roadmap" }),
    "*⚙️ Ann changed the topic title to «Roadmap»*",
  );
  assert.equal(line({ type: "topic_edit", icon_emoji_id: "5312" }), "*⚙️ Ann changed the topic icon*");
  assert.equal(line({ type: "topic_edit", icon_emoji_id: "0" }), "*⚙️ Ann removed the topic icon*");
  assert.equal(line({ type: "topic_edit", closed: true }), "*⚙️ Ann closed the topic*");
  assert.equal(line({ type: "topic_edit", closed: false }), "*⚙️ Ann reopened the topic*");
  assert.equal(line({ type: "topic_edit", hidden: true }), "*⚙️ Ann hid the topic*");
  assert.equal(
    line({ type: "topic_edit", title: "A*", closed: true }),
    "*⚙️ Ann changed the topic title to «A\\*» and closed the topic*",
  );
  assert.equal(line({ type: "topic_edit" }), "*⚙️ Ann edited the topic*");
});

Deno.test("service lines: photos, joins, calls, screenshots and auto-delete read as sentences", () => {
  assert.equal(line({ type: "edit_group_photo" }), "*⚙️ Ann changed the group photo*");
  assert.equal(line({ type: "delete_group_photo" }), "*⚙️ Ann removed the group photo*");
  assert.equal(
    line({ type: "join_group_by_link", inviter: { name: "Bob" } }),
    "*⚙️ Ann joined by invite link from Bob*",
  );
  assert.equal(line({ type: "join_group_by_link" }), "*⚙️ Ann joined by invite link*");
  assert.equal(line({ type: "pin_message", message_id: 4 }), "*⚙️ Ann pinned [[chats/1/notes/4|message 4]]*");
  assert.equal(line({ type: "group_call", duration: 60 }), "*⚙️ Ann started a video chat (60s)*");
  assert.equal(line({ type: "take_screenshot" }), "*⚙️ Ann took a screenshot*");
  assert.equal(
    line({ type: "set_messages_ttl", duration: 86400 }),
    "*⚙️ Ann set messages to auto-delete after 86400s*",
  );
  assert.equal(line({ type: "set_messages_ttl", duration: 0 }), "*⚙️ Ann turned off auto-delete*");
  assert.equal(line({ type: "phone_call", data: { discard_reason: "busy" } }), "*⚙️ Ann called (busy)*");
  assert.equal(
    line({ type: "phone_call", duration: 5, data: { discard_reason: "hangup" } }),
    "*⚙️ Ann called (5s)*",
  );
  assert.equal(
    line({ type: "edit_chat_theme", data: { emoticon: "" } }),
    "*⚙️ Ann turned off the chat theme*",
  );
  assert.equal(
    line({ type: "invite_to_group_call", members: ["Bob"] }),
    "*⚙️ Ann invited Bob to the video chat*",
  );
  assert.equal(line({ type: "custom_action", text: "Bob *did* it" }), "*⚙️ Bob \\*did\\* it*");
  assert.equal(line({ type: "boost_apply", title: "x" }), "*⚙️ Ann boost apply «x»*");
});
