/** Incremental construction of a World, shared by the Telegram Desktop loader and the generator. */
import type {
  BlobSource,
  ChatKind,
  WBlob,
  WChat,
  WDocAttrs,
  WDocument,
  World,
  WPhoto,
  WPhotoSize,
  WUser,
} from "./types.ts";
import { hash32, hash63 } from "./rand.ts";
import { FAKE_LOGIN } from "./login.ts";

/** Key of a chat in World.chats. */
export function chatKey(kind: ChatKind, id: bigint): string {
  if (kind === "private") return `user:${id}`;
  return kind === "group" ? `chat:${id}` : `channel:${id}`;
}

/** Builds a World: users, chats, files with deterministic ids and access hashes. */
export class WorldBuilder {
  readonly world: World;

  constructor(seed: number, opts: { selfUserId?: bigint; fileDcs?: number[] } = {}) {
    this.fileDcs = opts.fileDcs ?? [2, 4];
    const selfUserId = opts.selfUserId ?? FAKE_LOGIN.user.userId;
    this.world = {
      seed,
      selfUserId,
      users: new Map(),
      chats: new Map(),
      files: new Map(),
      accounts: [
        { userId: selfUserId, phone: FAKE_LOGIN.user.phone, code: FAKE_LOGIN.user.code },
        {
          userId: FAKE_LOGIN.twoFa.userId,
          phone: FAKE_LOGIN.twoFa.phone,
          code: FAKE_LOGIN.twoFa.code,
          password: FAKE_LOGIN.twoFa.password,
        },
      ],
      botTokens: new Map([[FAKE_LOGIN.bot.token, FAKE_LOGIN.bot.userId]]),
      nextCommonId: 1,
      nextFileId: BigInt(hash32(seed, "files")) * 65536n + 1n,
    };
    const u = FAKE_LOGIN.user, t = FAKE_LOGIN.twoFa, b = FAKE_LOGIN.bot;
    this.user(selfUserId, u.firstName, { lastName: u.lastName, phone: u.phone, username: "fakeself" });
    this.user(t.userId, t.firstName, { lastName: t.lastName, phone: t.phone, username: "securefake" });
    this.user(b.userId, "tgpipe test bot", { bot: true, username: b.username });
  }

  private readonly fileDcs: number[];

  /** Get or create a user; later calls only fill in missing fields. */
  user(id: bigint, firstName: string, extra: Partial<WUser> = {}): WUser {
    const have = this.world.users.get(id);
    if (have) {
      for (const [k, v] of Object.entries(extra)) {
        // deno-lint-ignore no-explicit-any
        if ((have as any)[k] === undefined) (have as any)[k] = v;
      }
      return have;
    }
    const u: WUser = { id, accessHash: hash63(this.world.seed, "user", id), firstName, ...extra };
    this.world.users.set(id, u);
    return u;
  }

  /** Get or create a chat. */
  chat(kind: ChatKind, id: bigint, title: string, extra: Partial<WChat> = {}): WChat {
    const key = chatKey(kind, id);
    const have = this.world.chats.get(key);
    if (have) return have;
    const c: WChat = {
      kind,
      id,
      accessHash: hash63(this.world.seed, "chat", id),
      title,
      date: 0,
      messages: [],
      selfMember: true,
      participants: [this.world.selfUserId],
      ...extra,
    };
    this.world.chats.set(key, c);
    return c;
  }

  /** A new blob with a fresh id. */
  blob(size: number, source?: BlobSource): WBlob {
    const id = this.world.nextFileId++;
    return { id, size, source: source ?? { kind: "gen", seed: this.world.seed } };
  }

  /** A photo whose largest size carries `main`; a small "m" preview is generated beside it. */
  photo(date: number, w: number, h: number, main: WBlob): WPhoto {
    const id = this.world.nextFileId++;
    const scale = Math.min(1, 320 / Math.max(w, h, 1));
    const mw = Math.max(1, Math.round(w * scale)), mh = Math.max(1, Math.round(h * scale));
    const sizes: WPhotoSize[] = [];
    if (scale < 1) {
      sizes.push({ type: "m", w: mw, h: mh, blob: this.blob(Math.max(600, Math.min(main.size, 9000))) });
    }
    sizes.push({ type: _sizeType(w, h), w, h, blob: main });
    const p: WPhoto = {
      kind: "photo",
      id,
      accessHash: hash63(this.world.seed, "ph", id),
      dcId: this._dc(id),
      date,
      sizes,
    };
    this.world.files.set(id, p);
    return p;
  }

  /** A document; `thumb` becomes its "m" thumbnail. */
  document(date: number, mimeType: string, blob: WBlob, attrs: WDocAttrs, thumb?: WPhotoSize): WDocument {
    const id = this.world.nextFileId++;
    const d: WDocument = {
      kind: "document",
      id,
      accessHash: hash63(this.world.seed, "doc", id),
      dcId: this._dc(id),
      date,
      mimeType,
      blob,
      thumbs: thumb ? [thumb] : [],
      attrs,
    };
    this.world.files.set(id, d);
    return d;
  }

  /** Sort histories, drop duplicate ids, set chat dates and the common id counter. */
  finish(): World {
    let maxCommon = 0;
    for (const c of this.world.chats.values()) {
      const byId = new Map(c.messages.map((m) => [m.id, m]));
      c.messages = [...byId.values()].sort((a, b) => a.id - b.id);
      if (!c.date) c.date = c.messages[0]?.date ?? 1600000000;
      if (c.kind === "private" || c.kind === "group") {
        maxCommon = Math.max(maxCommon, c.messages.at(-1)?.id ?? 0);
      }
    }
    this.world.nextCommonId = Math.max(this.world.nextCommonId, maxCommon + 1);
    return this.world;
  }

  private _dc(id: bigint): number {
    return this.fileDcs[Number(id % BigInt(this.fileDcs.length))];
  }
}

function _sizeType(w: number, h: number): string {
  const m = Math.max(w, h);
  if (m <= 320) return "m";
  if (m <= 800) return "x";
  if (m <= 1280) return "y";
  return "w";
}
