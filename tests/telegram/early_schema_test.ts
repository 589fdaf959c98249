/**
 * What the early session check hard-codes, against GramJS: lib/telegram/early_schema.ts (layer,
 * constructor ids, the TL lines of User and what it holds) is what GramJS's schema gives now; the
 * early TL parser reads those lines as GramJS's parser does; the request is GramJS's byte for
 * byte, with the initConnection params GramJS's TelegramClient sets; and a User GramJS serialises
 * (every optional field set) reads as the Account get_account.ts makes of it.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import { Api, TelegramClient } from "telegram";
import { StringSession } from "telegram/sessions/index.js";
import { LAYER } from "telegram/tl/AllTLObjects.js";
import { EARLY_SCHEMA_FILE, earlySchemaSource } from "../../lib/telegram/early_schema_gen.ts";
import { EARLY_TL } from "../../lib/telegram/early_schema.ts";
import { initParams, selfRequest } from "../../lib/telegram/early_request.ts";
import { earlyCtors, EarlyTlError, TlReader, TlWriter } from "../../lib/telegram/early_tl.ts";
import { readSelfAccount } from "../../lib/telegram/early_user.ts";
import { K_FLAGS, K_TRUE, tlSchema } from "../../lib/telegram/tl_schema.ts";

Deno.test("early_schema.ts is what GramJS's schema gives (run scripts/gen_early_schema.ts when not)", async () => {
  assert.equal(await Deno.readTextFile(EARLY_SCHEMA_FILE), earlySchemaSource());
  assert.match(EARLY_TL, /^user#[0-9a-f]+ /m);
});

Deno.test("the early TL parser reads each line as GramJS's parser does", () => {
  const gram = tlSchema();
  const ours = earlyCtors();
  assert.equal(ours.size, EARLY_TL.split("\n").length);
  for (const [id, c] of ours) {
    const g = gram.get(id);
    assert.ok(g, `GramJS has no constructor ${c.name} #${id.toString(16)}`);
    const camel = (s: string) => s.replace(/_(\w)/g, (_, x: string) => x.toUpperCase());
    assert.deepEqual(
      c.args.map((a) => [camel(a.name), a.type === "#" ? "#" : a.type, a.vector, a.flag?.bit ?? 0]),
      g.args.map((a) => [
        a.name,
        a.kind === K_FLAGS ? "#" : a.kind === K_TRUE ? "true" : a.type,
        a.vector,
        a.flagSlot < 0 ? 0 : a.flagBit,
      ]),
      c.name,
    );
    // the flags field each flagged argument reads (flags or flags2)
    const slots = c.args.filter((a) => a.type === "#").map((a) => a.name);
    assert.deepEqual(
      c.args.filter((a) => a.type !== "#").map((a) => (a.flag ? slots.indexOf(a.flag.field) : -1)),
      g.args.filter((a) => a.kind !== K_FLAGS).map((a) => a.flagSlot),
      `${c.name} flag fields`,
    );
  }
});

Deno.test("the early request is GramJS's invokeWithLayer(initConnection(users.getUsers)) byte for byte", () => {
  const client = new TelegramClient(new StringSession(""), 12345, "0123456789abcdef0123456789abcdef", {});
  // deno-lint-ignore no-explicit-any
  const init = (client as any)._initRequest as Api.InitConnection;
  const p = initParams(12345);
  assert.deepEqual(
    {
      apiId: init.apiId,
      deviceModel: init.deviceModel,
      systemVersion: init.systemVersion,
      appVersion: init.appVersion,
      systemLangCode: init.systemLangCode,
      langPack: init.langPack,
      langCode: init.langCode,
    },
    p,
    "the params GramJS's TelegramClient gives initConnection",
  );
  const gram = new Api.InvokeWithLayer({
    layer: LAYER,
    query: new Api.InitConnection({ ...p, query: new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }) }),
  }).getBytes();
  assert.deepEqual(selfRequest(p), new Uint8Array(gram));
});

function _vector(...users: Api.TypeUser[]): Uint8Array {
  const w = new TlWriter().int(0x1cb5c415).int(users.length);
  for (const u of users) w.raw(new Uint8Array(u.getBytes()));
  return w.done();
}

Deno.test("readSelfAccount: a User GramJS serialises, every optional field set, reads as get_account.ts maps it", () => {
  const full = new Api.User({
    id: bigInt("5000000001"),
    self: true,
    bot: false,
    premium: true,
    accessHash: bigInt("-77"),
    firstName: "Ada ✓",
    lastName: "Lovelace",
    phone: "15550000001",
    photo: new Api.UserProfilePhoto({
      hasVideo: true,
      photoId: bigInt(9),
      strippedThumb: Buffer.from([1, 2, 3]),
      dcId: 2,
    }),
    status: new Api.UserStatusRecently({ byMe: true }),
    restricted: true,
    restrictionReason: [new Api.RestrictionReason({ platform: "ios", reason: "x", text: "y" })],
    botInlinePlaceholder: undefined,
    langCode: "en",
    emojiStatus: new Api.EmojiStatusCollectible({
      collectibleId: bigInt(1),
      documentId: bigInt(2),
      title: "t",
      slug: "s",
      patternDocumentId: bigInt(3),
      centerColor: 1,
      edgeColor: 2,
      patternColor: 3,
      textColor: 4,
      until: 5,
    }),
    usernames: [
      new Api.Username({ username: "ada_first", active: true }),
      new Api.Username({ username: "ada2" }),
    ],
    storiesMaxId: 4,
    color: new Api.PeerColor({ color: 3, backgroundEmojiId: bigInt(8) }),
    profileColor: new Api.PeerColor({}),
    botVerificationIcon: bigInt(6),
  });
  assert.deepEqual(readSelfAccount(_vector(full), 2), {
    id: 5000000001,
    name: "Ada ✓ Lovelace",
    username: "ada_first",
    phone_masked: "+155******01",
    bot: false,
    dc_id: 2,
  });
  const bot = new Api.User({
    id: bigInt(42),
    bot: true,
    botInfoVersion: 3,
    firstName: "Robo",
    username: "robo_bot",
    status: new Api.UserStatusOffline({ wasOnline: 7 }),
    emojiStatus: new Api.EmojiStatus({ documentId: bigInt(1) }),
  });
  assert.deepEqual(readSelfAccount(_vector(bot), 4), {
    id: 42,
    name: "Robo",
    username: "robo_bot",
    bot: true,
    dc_id: 4,
  });
  assert.throws(() => readSelfAccount(_vector(new Api.UserEmpty({ id: bigInt(1) })), 2), EarlyTlError);
  assert.throws(() => readSelfAccount(_vector(), 2), EarlyTlError);
  // a constructor the early schema does not hold (here a Chat where a User belongs)
  const chat = new Api.Chat({
    id: bigInt(1),
    title: "c",
    photo: new Api.ChatPhotoEmpty(),
    participantsCount: 1,
    date: 1,
    version: 1,
  });
  assert.throws(() => readSelfAccount(_vector(chat as unknown as Api.TypeUser), 2), /unknown constructor/);
  assert.throws(() => new TlReader(new Uint8Array(_vector(full).subarray(0, 40))).object(), EarlyTlError);
});
