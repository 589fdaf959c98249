import assert from "node:assert/strict";
import { Api } from "telegram/tl/index.js";
import bigInt from "big-integer";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function rejects(p: Promise<unknown>, code: number, msg: string) {
  await assert.rejects(p, (e: Json) => {
    assert.equal(e.code, code);
    assert.equal(e.errorMessage, msg);
    return true;
  });
}

Deno.test("editMessage in Saved Messages: edits in place, found by search; strict like Telegram", async () => {
  const w = await loadWorld("gen:chats=2,messages=30,files=2,file_size=100KB,forum=0", { seed: 3 });
  const c = cluster(w);
  const me = c.key(w.selfUserId);
  const self = new Api.InputPeerSelf();
  const sent = await c.call(me, "messages.SendMessage", {
    peer: self,
    message: 'tag_x\n{"n":1}',
    randomId: bigInt(7),
  });
  const id = sent.updates.find((u: Json) => u.className === "UpdateNewMessage").message.id;
  const ed = await c.call(me, "messages.EditMessage", { peer: self, id, message: 'tag_x\n{"n":2}' });
  const upd = ed.updates[0];
  assert.equal(upd.className, "UpdateEditMessage");
  assert.equal(upd.message.message, 'tag_x\n{"n":2}');
  assert.ok(upd.message.editDate > 0);
  const found = await c.call(me, "messages.Search", {
    peer: self,
    q: "tag_x",
    filter: new Api.InputMessagesFilterEmpty(),
    limit: 10,
  });
  assert.deepEqual(found.messages.map((m: Json) => [m.id, m.message]), [[id, 'tag_x\n{"n":2}']]);
  await rejects(
    c.call(me, "messages.EditMessage", { peer: self, id, message: 'tag_x\n{"n":2}' }),
    400,
    "MESSAGE_NOT_MODIFIED",
  );
  await rejects(
    c.call(me, "messages.EditMessage", { peer: self, id: 999999, message: "x" }),
    400,
    "MESSAGE_ID_INVALID",
  );
  await rejects(c.call(me, "messages.EditMessage", { peer: self, id, message: "  " }), 400, "MESSAGE_EMPTY");
  // a channel post of the world is not the self user's to edit
  const d = await c.call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 100 });
  const ch = d.chats.find((x: Json) => x.broadcast);
  const peer = new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash });
  const h = await c.call(me, "messages.GetHistory", { peer, limit: 1 });
  await rejects(
    c.call(me, "messages.EditMessage", { peer, id: h.messages[0].id, message: "mine now" }),
    403,
    "MESSAGE_AUTHOR_REQUIRED",
  );
});
