/**
 * Small Telegram Desktop exports written by tests, in the shape Desktop's export_output_json.cpp
 * writes (the real samples in ../shared/data/tdesktop carry only create_channel as a service action).
 */
import { join } from "node:path";

const PHOTO =
  new URL("../../../shared/data/tdesktop/tg2md/photos/photo_1@12-11-2020_12-57-31.jpg", import.meta.url)
    .pathname;

/** Chat id of the forum sample. */
export const SAMPLE_FORUM_ID = 1700000001;
/** Path of the new chat photo (edit_group_photo) in the forum sample. */
export const SAMPLE_PHOTO = "photos/photo_2@05-12-2024_12-02-00.jpg";
/** A custom emoji id above 2^53, as Desktop writes it: a bare JSON number. */
export const SAMPLE_ICON_EMOJI = "5312536423851630001";

// deno-lint-ignore no-explicit-any
type Json = any;

const T0 = 1733400000;

/** A message or service message at `T0 + id * 60`. */
function _at(id: number, rest: Json): Json {
  const date_unixtime = String(T0 + id * 60);
  const date = new Date((T0 + id * 60) * 1000).toISOString().slice(0, 19);
  const text = rest.text ?? "";
  return { id, date, date_unixtime, ...rest, text, text_entities: text ? [{ type: "plain", text }] : [] };
}

const ALICE = { actor: "Alice Admin", actor_id: "user1001" };

/**
 * A forum supergroup with the service actions Desktop writes for a chat photo change (with the
 * photo file), topic creation and edits, pins, joins and removals.
 */
export async function writeServiceSample(dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "photos"), { recursive: true });
  await Deno.copyFile(PHOTO, join(dir, SAMPLE_PHOTO));
  const size = (await Deno.stat(PHOTO)).size;
  const messages = [
    _at(1, { type: "service", ...ALICE, action: "create_channel", title: "Service sample" }),
    _at(2, {
      type: "service",
      ...ALICE,
      action: "edit_group_photo",
      photo: SAMPLE_PHOTO,
      photo_file_size: size,
      width: 801,
      height: 526,
    }),
    _at(3, { type: "service", ...ALICE, action: "topic_created", title: "Plans" }),
    _at(4, {
      type: "message",
      from: "Alice Admin",
      from_id: "user1001",
      reply_to_message_id: 3,
      text: "a plan",
    }),
    _at(5, { type: "service", ...ALICE, action: "topic_edit", new_title: "Roadmap" }),
    _at(6, { type: "service", ...ALICE, action: "topic_edit", new_icon_emoji_id: "@ICON@" }),
    // closing, reopening or hiding a topic: Desktop writes neither flag
    _at(7, { type: "service", ...ALICE, action: "topic_edit" }),
    _at(8, { type: "service", ...ALICE, action: "pin_message", message_id: 4 }),
    _at(9, { type: "service", ...ALICE, action: "invite_members", members: ["Bob Guest"] }),
    _at(10, { type: "service", ...ALICE, action: "remove_members", members: ["Bob Guest"] }),
    _at(11, {
      type: "service",
      actor: "Carol Joiner",
      actor_id: "user1003",
      action: "join_group_by_link",
      inviter: "Alice Admin",
    }),
    _at(12, { type: "service", ...ALICE, action: "delete_group_photo" }),
    _at(13, { type: "service", ...ALICE, action: "edit_group_title", title: "Service sample 2" }),
    _at(14, {
      type: "message",
      from: "Alice Admin",
      from_id: "user1001",
      reply_to_message_id: 4,
      text: "a reply",
    }),
    _at(15, { type: "message", from: "Alice Admin", from_id: "user1001", text: "in General" }),
    _at(16, { type: "service", ...ALICE, action: "group_call", duration: 60 }),
    _at(17, { type: "service", ...ALICE, action: "set_messages_ttl", period: 86400 }),
    _at(18, { type: "service", actor: "Dan Asker", actor_id: "user1004", action: "join_group_by_request" }),
  ];
  const json = JSON.stringify(
    { name: "Service sample", type: "private_supergroup", id: SAMPLE_FORUM_ID, messages },
    null,
    1,
  )
    // Desktop writes 64-bit ids as bare numbers, beyond what a double holds exactly
    .replace('"@ICON@"', SAMPLE_ICON_EMOJI);
  await Deno.writeTextFile(join(dir, "result.json"), json);
}

/** One file path used as a photo by one message and as a document by another (real exports do this). */
export async function writeSharedPathSample(dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "files"), { recursive: true });
  await Deno.copyFile(PHOTO, join(dir, "files/x.jpg"));
  const messages = [
    _at(1, {
      type: "message",
      from: "Alice Admin",
      from_id: "user1001",
      photo: "files/x.jpg",
      width: 801,
      height: 526,
    }),
    _at(2, {
      type: "message",
      from: "Alice Admin",
      from_id: "user1001",
      file: "files/x.jpg",
      file_name: "x.jpg",
      mime_type: "image/jpeg",
      width: 801,
      height: 526,
    }),
  ];
  await Deno.writeTextFile(
    join(dir, "result.json"),
    JSON.stringify({ name: "Shared path", type: "private_supergroup", id: 1700000002, messages }, null, 1),
  );
}

/** User id of the private-chat sample's peer. */
export const SAMPLE_FRIEND_ID = 1005;

/**
 * A private chat with the service actions Desktop writes there: calls, sign-up, theme, screenshot,
 * custom, a suggested profile photo (with its file).
 */
export async function writePrivateSample(dir: string): Promise<void> {
  await Deno.mkdir(join(dir, "photos"), { recursive: true });
  await Deno.copyFile(PHOTO, join(dir, SAMPLE_PHOTO));
  const EVE = { actor: "Eve Friend", actor_id: `user${SAMPLE_FRIEND_ID}` };
  const messages = [
    _at(1, { type: "service", ...EVE, action: "joined_telegram" }),
    _at(2, { type: "message", from: "Eve Friend", from_id: `user${SAMPLE_FRIEND_ID}`, text: "hi" }),
    _at(3, { type: "service", ...EVE, action: "phone_call", duration_seconds: 75, discard_reason: "hangup" }),
    _at(4, { type: "service", ...EVE, action: "phone_call", discard_reason: "missed" }),
    _at(5, { type: "service", ...EVE, action: "edit_chat_theme", emoticon: "🎄" }),
    _at(6, { type: "service", ...EVE, action: "take_screenshot" }),
    _at(7, { type: "service", ...EVE, information_text: "Eve Friend did something only Telegram can say" }),
    _at(8, { type: "service", ...EVE, action: "set_messages_ttl", period: 0 }),
    _at(9, {
      type: "service",
      ...EVE,
      action: "suggest_profile_photo",
      photo: SAMPLE_PHOTO,
      photo_file_size: (await Deno.stat(PHOTO)).size,
      width: 801,
      height: 526,
    }),
  ];
  await Deno.writeTextFile(
    join(dir, "result.json"),
    JSON.stringify({ name: "Eve Friend", type: "personal_chat", id: SAMPLE_FRIEND_ID, messages }, null, 1),
  );
}
