/**
 * Generated worlds. Spec: `gen:key=value,...` (all optional):
 *   chats=3        ordinary chats, kinds cycling channel, supergroup, private, group
 *   messages=200   messages per chat (forums and the discussion group included)
 *   files=20       media messages per chat (photo, video, round, voice, audio, sticker, gif, file, album)
 *   file_size=1MB  largest ordinary file (sizes spread over 50–100% of it; photos capped at 1.5 MB)
 *   min_size=0     smallest ordinary file when set (sizes then spread over min_size–file_size)
 *   photos=0       1 = every media message is a single photo (no other kinds, no albums)
 *   big_files=0    extra big documents in the first channel, each of big_size
 *   big_size=1GB   size of a big file (bytes are generated on demand: no memory)
 *   forum=1        forum supergroups, each with `topics` topics
 *   topics=3       topics per forum
 *   comments=1     1 = the first channel gets a linked discussion group with comment threads
 *   left=1         1 = add a private channel the self user left (CHANNEL_PRIVATE)
 *   users=12       other users
 *   start=1600000000  unix date of the first message
 *   seed=<n>       overrides opts.seed
 * Sizes accept B, KB, MB, GB (binary units). The same spec and seed always give the same world.
 */
import type { WChat, WMedia, WMessage, World, WUser } from "./types.ts";
import { WorldBuilder } from "./builder.ts";
import { hash32, pick, seededRng } from "./rand.ts";
import { genText } from "./gen_text.ts";
import { GenMedia } from "./gen_media.ts";

/** Parsed generator options. */
export interface GenSpec {
  chats: number;
  messages: number;
  files: number;
  fileSize: number;
  minSize: number;
  photos: number;
  bigFiles: number;
  bigSize: number;
  forum: number;
  topics: number;
  comments: number;
  left: number;
  users: number;
  start: number;
  seed: number;
}

/** Parse "chats=3,messages=1000,file_size=10MB" (with or without the "gen:" prefix). */
export function parseGenSpec(spec: string, seed: number): GenSpec {
  const out: GenSpec = {
    chats: 3,
    messages: 200,
    files: 20,
    fileSize: 1 << 20,
    minSize: 0,
    photos: 0,
    bigFiles: 0,
    bigSize: 1 << 30,
    forum: 1,
    topics: 3,
    comments: 1,
    left: 1,
    users: 12,
    start: 1600000000,
    seed,
  };
  const keys: Record<string, keyof GenSpec> = {
    file_size: "fileSize",
    min_size: "minSize",
    big_files: "bigFiles",
    big_size: "bigSize",
  };
  for (const kv of spec.replace(/^gen:/, "").split(",").filter(Boolean)) {
    const [k, v] = kv.split("=");
    const key = keys[k] ?? (k as keyof GenSpec);
    if (!(key in out) || v === undefined) throw new RangeError(`Unknown gen key ${kv}`);
    out[key] = _size(v);
  }
  return out;
}

function _size(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v.trim());
  if (!m) throw new RangeError(`Bad number ${v}`);
  const mul = { b: 1, kb: 1024, mb: 1 << 20, gb: 1 << 30 }[(m[2] ?? "b").toLowerCase()]!;
  return Math.round(Number(m[1]) * mul);
}

/** Generate a world from a spec. */
export function generateWorld(spec: string, opts: { seed: number; fileDcs?: number[] }): World {
  const g = parseGenSpec(spec, opts.seed);
  const b = new WorldBuilder(g.seed, { fileDcs: opts.fileDcs });
  const rng = seededRng(hash32(g.seed, "gen"));
  const users: WUser[] = [];
  for (let i = 0; i < g.users; i++) {
    const first = pick(rng, ["Alice", "Bob", "Chen", "Dara", "Eve", "Femi", "Gus", "Hana", "Ivan", "Jo"]);
    users.push(
      b.user(2000000n + BigInt(i), first, {
        lastName: `Tester${i}`,
        username: `user${i}_gen`,
        phone: `1555100${1000 + i}`,
      }),
    );
  }
  const bot = b.user(3000000n, "Gif Bot", { bot: true, username: "gif" });
  const media = new GenMedia(b, rng, g);
  const ctx = { b, rng, g, users, bot, media };
  const kinds = ["channel", "supergroup", "private", "group"] as const;
  let first: WChat | undefined;
  for (let i = 0; i < g.chats; i++) {
    const kind = kinds[i % kinds.length];
    const chat = kind === "private"
      ? b.chat("private", users[i % users.length].id, users[i % users.length].firstName)
      : b.chat(kind, kind === "group" ? 4000000n + BigInt(i) : 1700000000n + BigInt(i), `${kind} ${i}`, {
        username: i % 2 === 0 && kind !== "group" ? `gen_${kind}_${i}` : undefined,
      });
    chat.participants.push(...users.map((u) => u.id));
    _fill(ctx, chat, g.files, kind === "channel" && !first ? g.bigFiles : 0);
    if (kind === "channel") first ??= chat;
  }
  for (let i = 0; i < g.forum; i++) {
    const chat = b.chat("forum", 1750000000n + BigInt(i), `forum ${i}`, { username: `gen_forum_${i}` });
    chat.topics = [];
    _fill(ctx, chat, g.files, 0);
  }
  if (first && g.comments) _comments(ctx, first);
  if (g.left) {
    const left = b.chat("channel", 1790000000n, "left channel", { selfMember: false });
    _fill(ctx, left, 0, 0);
  }
  return b.finish();
}

interface Ctx {
  b: WorldBuilder;
  rng: () => number;
  g: GenSpec;
  users: WUser[];
  bot: WUser;
  media: GenMedia;
}

function _fill(c: Ctx, chat: WChat, files: number, bigFiles: number): void {
  const { b, rng, g } = c;
  const common = chat.kind === "private" || chat.kind === "group";
  let id = common ? b.world.nextCommonId : 1;
  let date = g.start + Number(hash32(chat.id) % 1000);
  const push = (m: Omit<WMessage, "id" | "date">): WMessage => {
    date += 1 + Math.floor(rng() * 120);
    const msg = { id: id++, date, ...m } as WMessage;
    chat.messages.push(msg);
    return msg;
  };
  const sender = (): WMessage["from"] =>
    chat.kind === "channel"
      ? undefined
      : { kind: "user", id: pick(c.rng, [b.world.selfUserId, ...c.users.map((u) => u.id)]) };
  const created = chat.kind === "channel" ? "create_channel" : "create_group";
  if (chat.kind !== "private") {
    push({
      text: "",
      entities: [],
      from: sender(),
      action: { type: created, title: chat.title },
      post: chat.kind === "channel",
    });
  }
  for (let t = 0; t < (chat.kind === "forum" ? g.topics : 0); t++) {
    const m = push({
      text: "",
      entities: [],
      from: sender(),
      action: { type: "topic_created", title: `Topic ${t + 1}`, iconColor: 0x6fb9f0 },
    });
    m.topicId = m.id;
    chat.topics!.push({ id: m.id, title: `Topic ${t + 1}`, date: m.date, iconColor: 0x6fb9f0 });
  }
  for (let i = 0; i < bigFiles; i++) {
    push({ text: `big file ${i}`, entities: [], post: true, media: c.media.big(date, i) });
  }
  const every = files > 0 ? Math.max(1, Math.floor(g.messages / files)) : Infinity;
  let made = 0;
  for (let i = chat.messages.length; i < g.messages; i++) {
    const { text, entities } = genText(rng, c.users);
    const m: Omit<WMessage, "id" | "date"> = {
      text,
      entities,
      from: sender(),
      post: chat.kind === "channel" || undefined,
    };
    if (m.from?.kind === "user" && m.from.id === b.world.selfUserId) m.out = true;
    let mediaList: WMedia[] = [];
    if (made < files && i % every === 0) mediaList = c.media.next(date, made++);
    else if (i % 97 === 13) mediaList = [c.media.extra(date, i)];
    _decorate(c, chat, m, id);
    if (mediaList.length > 1) {
      const gid = BigInt(hash32(chat.id, id, "album")) + 1n;
      for (const [k, md] of mediaList.entries()) {
        push({
          ...m,
          text: k === 0 ? m.text : "",
          entities: k === 0 ? m.entities : [],
          media: md,
          groupedId: gid,
        });
      }
    } else push({ ...m, media: mediaList[0] });
  }
  if (common) b.world.nextCommonId = id;
}

function _decorate(c: Ctx, chat: WChat, m: Omit<WMessage, "id" | "date">, nextId: number): void {
  const { rng } = c;
  const cand = chat.messages[Math.floor(rng() * chat.messages.length)];
  if (chat.kind === "forum" && chat.topics!.length && rng() < 0.7) {
    const t = pick(rng, chat.topics!);
    m.topicId = t.id;
    m.reply = { msgId: t.id, forumTopic: true };
  }
  if (cand && (!cand.action || cand.action.type === "topic_created") && rng() < 0.2) {
    const to = cand;
    if (!m.topicId || to.topicId === m.topicId) {
      m.reply = { msgId: to.id, topId: m.topicId, forumTopic: m.topicId ? true : undefined };
    }
  }
  if (rng() < 0.08) {
    const u = pick(rng, c.users);
    m.fwd = rng() < 0.5
      ? { from: { kind: "user", id: u.id }, date: c.g.start - 86400 }
      : { fromName: "Hidden Sender", date: c.g.start - 3600 };
  }
  if (rng() < 0.04) m.viaBotId = c.bot.id;
  if (rng() < 0.1) m.editDate = c.g.start + nextId * 200;
  if (rng() < 0.15) {
    m.reactions = [{ emoji: "👍", count: 1 + Math.floor(rng() * 9) }, { emoji: "🔥", count: 1 }];
  }
  if (chat.kind === "channel") m.views = 10 + Math.floor(rng() * 5000);
  if (rng() < 0.01) m.pinned = true;
}

function _comments(c: Ctx, channel: WChat): void {
  const group = c.b.chat("supergroup", channel.id + 60000000n, `${channel.title} chat`, {
    linkedChatId: channel.id,
  });
  group.participants.push(...c.users.map((u) => u.id));
  channel.linkedChatId = group.id;
  let id = 1, date = channel.messages[0]?.date ?? c.g.start;
  for (const post of channel.messages) {
    if (post.action || c.rng() < 0.5) continue;
    date = post.date;
    const copy: WMessage = {
      id: id++,
      date,
      text: post.text,
      entities: post.entities,
      from: { kind: "channel", id: channel.id },
      fwd: { from: { kind: "channel", id: channel.id }, date: post.date, channelPost: post.id },
    };
    group.messages.push(copy);
    post.comments = { chatId: group.id, msgId: copy.id };
    const n = Math.floor(c.rng() * 4);
    for (let k = 0; k < n; k++) {
      const { text, entities } = genText(c.rng, c.users);
      const from = { kind: "user" as const, id: pick(c.rng, c.users).id };
      group.messages.push({
        id: id++,
        date: date + k + 1,
        text,
        entities,
        from,
        reply: { msgId: copy.id, topId: copy.id },
      });
    }
  }
}
