import assert from "node:assert/strict";
import { join } from "node:path";
import { Api } from "telegram/tl/index.js";
import bigInt from "big-integer";
import { loadWorld } from "./world/index.ts";
import { cluster } from "./_handlers_util.ts";
import {
  SAMPLE_FRIEND_ID,
  SAMPLE_ICON_EMOJI,
  SAMPLE_PHOTO,
  writePrivateSample,
  writeServiceSample,
  writeSharedPathSample,
} from "./_tdesktop_sample.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** The whole history of the only group chat of a world loaded from `dir`, by id. */
async function history(dir: string) {
  const world = await loadWorld(dir, { seed: 5 });
  const { call, key } = cluster(world);
  const me = key(world.selfUserId);
  const dialogs = await call(me, "messages.GetDialogs", { offsetPeer: new Api.InputPeerEmpty(), limit: 100 });
  const ch = dialogs.chats[0];
  const friend = dialogs.users.find((u: Json) => u.id.toString() === String(SAMPLE_FRIEND_ID));
  const peer = ch
    ? new Api.InputPeerChannel({ channelId: ch.id, accessHash: ch.accessHash })
    : new Api.InputPeerUser({ userId: friend.id, accessHash: friend.accessHash });
  const r = await call(me, "messages.GetHistory", {
    peer,
    offsetId: 0,
    limit: 100,
    addOffset: 0,
    maxId: 0,
    minId: 0,
  });
  const byId = new Map<number, Json>(r.messages.map((m: Json) => [m.id, m]));
  const names = new Map<string, string>(r.users.map((u: Json) => [u.id.toString(), u.firstName]));
  /** Every byte of a photo's largest size or of a document, through upload.getFile on its DC. */
  const bytes = async (f: Json): Promise<Uint8Array> => {
    const photo = f.className === "Photo";
    const location = photo
      ? new Api.InputPhotoFileLocation({
        id: f.id,
        accessHash: f.accessHash,
        fileReference: f.fileReference,
        thumbSize: f.sizes.at(-1).type,
      })
      : new Api.InputDocumentFileLocation({
        id: f.id,
        accessHash: f.accessHash,
        fileReference: f.fileReference,
        thumbSize: "",
      });
    const got = await call(me, "upload.GetFile", { location, offset: bigInt(0), limit: 1 << 20 }, f.dcId);
    return new Uint8Array(got.bytes);
  };
  return { byId, names, bytes, call, me, peer };
}

Deno.test("a path that is a photo in one message and a document in another serves both", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_shared_path_" });
  try {
    await writeSharedPathSample(dir);
    const disk = await Deno.readFile(join(dir, "files/x.jpg"));
    const { byId, bytes } = await history(dir);
    const photo = byId.get(1).media, doc = byId.get(2).media;
    assert.equal(photo?.className, "MessageMediaPhoto");
    assert.equal(photo.photo.sizes.at(-1).w, 801);
    assert.equal(doc?.className, "MessageMediaDocument");
    assert.equal(doc.document.mimeType, "image/jpeg");
    assert.deepEqual(
      doc.document.attributes.filter((a: Json) => a.className === "DocumentAttributeFilename").map((
        a: Json,
      ) => a.fileName),
      ["x.jpg"],
    );
    assert.deepEqual(await bytes(photo.photo), disk);
    assert.deepEqual(await bytes(doc.document), disk);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Desktop service actions load as Telegram's own actions, the new chat photo with its file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_actions_" });
  try {
    await writeServiceSample(dir);
    const disk = await Deno.readFile(join(dir, "photos/photo_2@05-12-2024_12-02-00.jpg"));
    const { byId, names, bytes, call, me, peer } = await history(dir);
    const action = (id: number) => byId.get(id).action;
    for (const m of byId.values()) {
      assert.notEqual(m.action?.className, "MessageActionCustomAction", `message ${m.id}`);
    }
    const edit = action(2);
    assert.equal(edit?.className, "MessageActionChatEditPhoto");
    assert.equal(edit.photo?.className, "Photo");
    const largest: Json = edit.photo.sizes.at(-1);
    assert.deepEqual([largest.w, largest.h, largest.size], [801, 526, disk.length]);
    assert.deepEqual(await bytes(edit.photo), disk);
    const chatPhotos = await call(me, "messages.Search", {
      peer,
      q: "",
      filter: new Api.InputMessagesFilterChatPhotos(),
      offsetId: 0,
      limit: 100,
    });
    assert.deepEqual(chatPhotos.messages.map((m: Json) => m.id), [2]);

    assert.equal(action(3)?.className, "MessageActionTopicCreate");
    const [title, icon, flags] = [action(5), action(6), action(7)];
    assert.equal(title?.className, "MessageActionTopicEdit");
    assert.equal(title.title, "Roadmap");
    assert.equal(title.iconEmojiId, undefined);
    assert.equal(icon?.className, "MessageActionTopicEdit");
    assert.equal(icon.title, undefined);
    // JSON.parse rounds the 64-bit id as Desktop's readers do; the fake DC serves that value
    assert.equal(String(icon.iconEmojiId), BigInt(JSON.parse(SAMPLE_ICON_EMOJI)).toString());
    assert.equal(flags?.className, "MessageActionTopicEdit");
    assert.deepEqual([flags.title, flags.iconEmojiId, flags.closed, flags.hidden], [
      undefined,
      undefined,
      undefined,
      undefined,
    ]);

    assert.equal(action(8)?.className, "MessageActionPinMessage");
    assert.equal(byId.get(8).replyTo.replyToMsgId, 4);
    assert.equal(byId.get(4).pinned, true, "the pinned message is pinned");
    const pinned = await call(me, "messages.Search", {
      peer,
      q: "",
      filter: new Api.InputMessagesFilterPinned(),
      offsetId: 0,
      limit: 100,
    });
    assert.deepEqual(pinned.messages.map((m: Json) => m.id), [4]);
    const add = action(9), del = action(10), join_ = action(11);
    assert.equal(add?.className, "MessageActionChatAddUser");
    assert.deepEqual(add.users.map((u: Json) => names.get(u.toString())), ["Bob Guest"]);
    assert.equal(del?.className, "MessageActionChatDeleteUser");
    assert.equal(del.userId.toString(), add.users[0].toString());
    assert.equal(join_?.className, "MessageActionChatJoinedByLink");
    assert.equal(join_.inviterId.toString(), "1001", "the inviter is the user of that name");
    assert.equal(action(12)?.className, "MessageActionChatDeletePhoto");
    assert.equal(action(13).title, "Service sample 2");
    assert.deepEqual([action(16)?.className, action(16).duration], ["MessageActionGroupCall", 60]);
    assert.deepEqual([action(17)?.className, action(17).period], ["MessageActionSetMessagesTTL", 86400]);
    assert.equal(action(18)?.className, "MessageActionChatJoinedByRequest");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Desktop private-chat actions load as Telegram's own: calls with their end, sign-up, theme, screenshot, custom", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_private_actions_" });
  try {
    await writePrivateSample(dir);
    const { byId, bytes } = await history(dir);
    const action = (id: number) => byId.get(id).action;
    assert.equal(action(1)?.className, "MessageActionContactSignUp");
    assert.deepEqual(
      [action(3)?.className, action(3).duration, action(3).reason?.className],
      ["MessageActionPhoneCall", 75, "PhoneCallDiscardReasonHangup"],
    );
    assert.deepEqual([action(4).duration, action(4).reason?.className], [
      undefined,
      "PhoneCallDiscardReasonMissed",
    ]);
    assert.deepEqual([action(5)?.className, action(5).emoticon], ["MessageActionSetChatTheme", "🎄"]);
    assert.equal(action(6)?.className, "MessageActionScreenshotTaken");
    assert.deepEqual(
      [action(7)?.className, action(7).message],
      ["MessageActionCustomAction", "Eve Friend did something only Telegram can say"],
    );
    assert.deepEqual([action(8)?.className, action(8).period], ["MessageActionSetMessagesTTL", 0]);
    assert.equal(action(9)?.className, "MessageActionSuggestProfilePhoto");
    assert.deepEqual(await bytes(action(9).photo), await Deno.readFile(join(dir, SAMPLE_PHOTO)));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a chat shows its last new photo until it is deleted, and serves it by peer", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_chat_photo_peer_" });
  try {
    await writeServiceSample(dir);
    const deleted = await history(dir);
    const input = (p: Json) => new Api.InputChannel({ channelId: p.channelId, accessHash: p.accessHash });
    const ch0 =
      (await deleted.call(deleted.me, "channels.GetChannels", { id: [input(deleted.peer)] })).chats[0];
    assert.equal(ch0.photo?.className, "ChatPhotoEmpty", "message 12 deleted the photo");
    // the same export without the delete_group_photo message
    const j = JSON.parse(await Deno.readTextFile(join(dir, "result.json")));
    j.messages = j.messages.filter((m: Json) => m.action !== "delete_group_photo");
    await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(j));
    const { byId, call, me, peer } = await history(dir);
    const photo = byId.get(2).action.photo;
    const ch = (await call(me, "channels.GetChannels", { id: [input(peer)] })).chats[0];
    assert.equal(ch.photo?.className, "ChatPhoto");
    assert.deepEqual([String(ch.photo.photoId), ch.photo.dcId], [String(photo.id), photo.dcId]);
    const full = await call(me, "channels.GetFullChannel", { channel: input(peer) });
    assert.equal(String(full.fullChat.chatPhoto.id), String(photo.id));
    const disk = await Deno.readFile(join(dir, SAMPLE_PHOTO));
    const get = (big: boolean, dc: number) =>
      call(me, "upload.GetFile", {
        location: new Api.InputPeerPhotoFileLocation({ peer, photoId: photo.id, big: big || undefined }),
        offset: bigInt(0),
        limit: 1 << 20,
      }, dc);
    const other = photo.dcId === 2 ? 4 : 2;
    await assert.rejects(get(true, other), new RegExp(`FILE_MIGRATE_${photo.dcId}`));
    assert.deepEqual(new Uint8Array((await get(true, photo.dcId)).bytes), disk);
    assert.equal((await get(false, photo.dcId)).bytes.length, photo.sizes[0].size);
    await assert.rejects(
      call(me, "upload.GetFile", {
        location: new Api.InputPeerPhotoFileLocation({ peer, photoId: bigInt(12345) }),
        offset: bigInt(0),
        limit: 1 << 20,
      }, photo.dcId),
      /LOCATION_INVALID/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
