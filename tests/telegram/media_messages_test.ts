import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api } from "telegram";
import { type ChatRef, mapMessageFile } from "../../lib/telegram/media_messages.ts";

const chat: ChatRef = { id: 500, kind: "channel", title: "News", peer: "channel:500:1" };

function _msg(media: Api.TypeMessageMedia): Api.Message {
  return new Api.Message({
    id: 7,
    peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
    date: 5,
    message: "c",
    media,
  });
}

Deno.test("mapMessageFile: photo size by pixels, not bytes; a photo without bytes has no file", () => {
  const photo = (sizes: Api.TypePhotoSize[]) =>
    new Api.Photo({
      id: bigInt(9),
      accessHash: bigInt(8),
      fileReference: Buffer.from([0xab]),
      date: 0,
      dcId: 2,
      sizes,
    });
  // the preview weighs more bytes than the original: the original (most pixels) is the file
  const f = mapMessageFile(
    _msg(
      new Api.MessageMediaPhoto({
        photo: photo([
          new Api.PhotoSize({ type: "m", w: 320, h: 240, size: 9000 }),
          new Api.PhotoSize({ type: "y", w: 1280, h: 960, size: 5000 }),
        ]),
      }),
    ),
    chat,
  )!;
  assert.deepEqual(
    {
      key: f.key,
      size: f.size,
      mediaType: f.mediaType,
      mime: f.mimeType,
      loc: f.location,
      caption: f.caption,
    },
    {
      key: "photo:9",
      size: 5000,
      mediaType: "photo",
      mime: "image/jpeg",
      loc: { kind: "photo", id: "9", accessHash: "8", fileReference: "ab", dcId: 2, thumbSize: "y" },
      caption: "c",
    },
  );
  const none = mapMessageFile(
    _msg(
      new Api.MessageMediaPhoto({ photo: photo([new Api.PhotoSize({ type: "y", w: 10, h: 10, size: 0 })]) }),
    ),
    chat,
  );
  assert.equal(none, undefined);
});

Deno.test("mapMessageFile: document kind, name, mime and whole-file location", () => {
  const doc = new Api.Document({
    id: bigInt(-3),
    accessHash: bigInt(4),
    fileReference: Buffer.from([1, 2]),
    date: 0,
    mimeType: "video/mp4",
    size: bigInt(123456),
    dcId: 4,
    thumbs: [new Api.PhotoSize({ type: "m", w: 90, h: 90, size: 100 })],
    attributes: [
      new Api.DocumentAttributeVideo({ w: 640, h: 360, duration: 3, roundMessage: true }),
      new Api.DocumentAttributeFilename({ fileName: "r.mp4" }),
    ],
  });
  const f = mapMessageFile(_msg(new Api.MessageMediaDocument({ document: doc })), chat)!;
  assert.deepEqual(
    { key: f.key, size: f.size, kind: f.mediaType, name: f.fileName, mime: f.mimeType, loc: f.location },
    {
      key: "document:-3",
      size: 123456,
      kind: "round",
      name: "r.mp4",
      mime: "video/mp4",
      loc: { kind: "document", id: "-3", accessHash: "4", fileReference: "0102", dcId: 4, thumbSize: "" },
    },
  );
  assert.equal(mapMessageFile(_msg(new Api.MessageMediaEmpty()), chat), undefined);
});

Deno.test("mapMessageFile: a chat photo change is a photo file; other service messages have none", () => {
  const svc = (action: Api.TypeMessageAction) =>
    new Api.MessageService({
      id: 8,
      peerId: new Api.PeerChannel({ channelId: bigInt(500) }),
      date: 6,
      action,
    });
  const photo = new Api.Photo({
    id: bigInt(31),
    accessHash: bigInt(32),
    fileReference: Buffer.from([0xcd]),
    date: 0,
    dcId: 4,
    sizes: [new Api.PhotoSize({ type: "x", w: 640, h: 640, size: 7000 })],
  });
  const f = mapMessageFile(svc(new Api.MessageActionChatEditPhoto({ photo })), chat)!;
  assert.deepEqual(
    {
      key: f.key,
      size: f.size,
      mediaType: f.mediaType,
      messageId: f.messageId,
      caption: f.caption,
      loc: f.location,
    },
    {
      key: "photo:31",
      size: 7000,
      mediaType: "photo",
      messageId: 8,
      caption: "",
      loc: { kind: "photo", id: "31", accessHash: "32", fileReference: "cd", dcId: 4, thumbSize: "x" },
    },
  );
  assert.equal(mapMessageFile(svc(new Api.MessageActionChatDeletePhoto()), chat), undefined);
});
