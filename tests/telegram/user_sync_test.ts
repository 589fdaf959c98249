/**
 * The test users' update state (_user_sync.ts), on which the bot tests and the load bench rely to
 * count each answer once: pushes applied once and in pts order, the user's own sends move the
 * state without being "received", and a hole is filled by getDifference whose copy wins over a
 * late push.
 */
import assert from "node:assert/strict";
import { Api } from "telegram";
import { UserSync } from "./_user_sync.ts";

const msg = (id: number, text: string, out = false) =>
  new Api.Message({ id, message: text, out, date: 0, peerId: new Api.PeerUser({ userId: 1 as never }) });
const push = (pts: number, id: number, text: string) =>
  new Api.UpdateNewMessage({ message: msg(id, text), pts, ptsCount: 1 });

function world(difference: (pts: number) => Api.updates.TypeDifference) {
  const asked: number[] = [];
  const got: string[] = [];
  const client = {
    invoke: (req: unknown) =>
      Promise.resolve(
        req instanceof Api.updates.GetState
          ? new Api.updates.State({ pts: 10, qts: 0, date: 0, seq: 0, unreadCount: 0 })
          : (asked.push((req as Api.updates.GetDifference).pts),
            difference((req as Api.updates.GetDifference).pts)),
      ),
  };
  const sync = new UserSync(
    client,
    (u) => got.push(((u as Api.UpdateNewMessage).message as Api.Message).message),
  );
  return { sync, asked, got };
}

Deno.test("user sync: in order once; a repeated push dropped; own sends move the state silently", async () => {
  const { sync, asked, got } = world(() => assert.fail("no difference needed"));
  await sync.start();
  try {
    sync.onUpdate(push(11, 1, "a"));
    sync.onUpdate(push(11, 1, "a"));
    sync.onResult(new Api.Updates({ updates: [push(12, 2, "mine")], users: [], chats: [], date: 0, seq: 0 }));
    // a push overtaking another is held until the hole closes
    sync.onUpdate(push(14, 4, "c"));
    sync.onUpdate(push(13, 3, "b"));
    assert.deepEqual(got, ["a", "b", "c"]);
    assert.deepEqual(asked, []);
    assert.deepEqual([sync.stats.pushed, sync.stats.duplicates], [3, 1]);
  } finally {
    sync.close();
  }
});

Deno.test("user sync: a hole is filled by getDifference; the late push is not delivered again", async () => {
  const { sync, asked, got } = world((pts) =>
    new Api.updates.Difference({
      newMessages: [msg(1, "lost"), msg(2, "mine", true), msg(3, "after")].slice(pts - 10),
      newEncryptedMessages: [],
      otherUpdates: [],
      chats: [],
      users: [],
      state: new Api.updates.State({ pts: 13, qts: 0, date: 0, seq: 0, unreadCount: 0 }),
    })
  );
  await sync.start();
  try {
    sync.onUpdate(push(13, 3, "after"));
    await sync.catchUp("gap");
    sync.onUpdate(push(11, 1, "lost"));
    assert.deepEqual(asked, [10], "asked from the client's pts");
    assert.deepEqual(got, ["lost", "after"], "each once, the user's own message left out");
    assert.deepEqual([sync.stats.recovered, sync.stats.duplicates], [2, 2]);
  } finally {
    sync.close();
  }
});
