import assert from "node:assert/strict";
import bigInt from "big-integer";
import { Api } from "telegram";
import { StringSession } from "telegram/sessions/index.js";
import { gramOf } from "../../lib/telegram/_gram.ts";
import { listDialogs } from "../../lib/telegram/list_dialogs.ts";
import { keepOneRowPerPeer } from "../../lib/telegram/session_entities.ts";
import { startFakeTelegram } from "../fakedc/cluster.ts";
import { openFakeDcClient } from "./_open_client.ts";

const _rows = (s: object) => (s as unknown as { _entities: Set<unknown[]> })._entities.size;
const _user = (id: number, username: string, hash = 7) =>
  new Api.User({ id: bigInt(id), accessHash: bigInt(hash), username, firstName: `u${id}` });
const _answer = (users: Api.User[]) =>
  ({
    users,
    chats: [
      new Api.Channel({
        id: bigInt(500),
        accessHash: bigInt(9),
        title: "c",
        photo: new Api.ChatPhotoEmpty(),
        date: 0,
      }),
    ],
  }) as unknown as Api.messages.Messages;

Deno.test("session entities: the same users and chats in every answer stay one row per peer", () => {
  const session = new StringSession("");
  keepOneRowPerPeer(session);
  for (let i = 0; i < 100; i++) session.processEntities(_answer([_user(1, "alice"), _user(2, "bob")]));
  assert.equal(_rows(session), 3);
});

Deno.test("session entities: a newer row replaces the peer's old one (username, access hash)", async () => {
  const session = new StringSession("");
  keepOneRowPerPeer(session);
  session.processEntities(_answer([_user(1, "alice", 7), _user(2, "bob")]));
  session.processEntities(_answer([_user(1, "alice_new", 8)]));
  assert.equal(_rows(session), 3);
  const p = await session.getInputEntity("alice_new") as Api.InputPeerUser;
  assert.equal(String(p.userId), "1");
  assert.equal(String(p.accessHash), "8");
  await assert.rejects(() => Promise.resolve().then(() => session.getInputEntity("alice")));
});

Deno.test("session entities: a client's session does not grow with repeated answers (openClient installs it)", async () => {
  const tg = await startFakeTelegram({ world: "gen:chats=3,messages=5", basePort: 0 });
  try {
    const client = await openFakeDcClient(tg);
    try {
      await listDialogs(client, { counts: false });
      const once = _rows(gramOf(client).session);
      assert.ok(once > 0, "the answer's users and chats reached the session");
      for (let i = 0; i < 5; i++) await listDialogs(client, { counts: false });
      assert.equal(_rows(gramOf(client).session), once);
    } finally {
      await client.close();
    }
  } finally {
    await tg.close();
  }
});
