/** Shared state of one cluster's handlers: world, options, clock, file references, peers. */
import { Buffer } from "node:buffer";
import type { AuthRecord, DcSpec, FaultSpec, RpcContext } from "../contract.ts";
import { RpcError } from "../contract.ts";
import type { WChat, WFile, World } from "../world/types.ts";
import { hash32 } from "../world/rand.ts";
import type { TlEnv } from "../world/to_tl.ts";
import type { ServerStats } from "../mtproto/session.ts";

/** Options of createHandlers (the contract's, plus an injectable clock for tests). */
export interface HandlerOptions {
  dcs: DcSpec[];
  homeDcId: number;
  faults: FaultSpec;
  rng: () => number;
  registry: Map<string, AuthRecord>;
  /** Milliseconds clock; defaults to Date.now. */
  now?: () => number;
  /** Where the RPC faults are counted (the cluster's stats); default: not counted. */
  stats?: Pick<ServerStats, "faultFloods" | "faultStalls" | "faultMigrates">;
}

/** State shared by every handler of every DC of a cluster. */
export class HandlerEnv {
  readonly dcIds: number[];
  /** Files FILE_MIGRATE'd (fault) to a DC that then serves them: "<fileId>:<dc>". */
  readonly migrated = new Set<string>();
  private readonly secret: number;

  constructor(readonly world: World, readonly opts: HandlerOptions) {
    this.dcIds = [...new Set(opts.dcs.map((d) => d.id))].sort((a, b) => a - b);
    this.secret = hash32(world.seed, "fileref");
  }

  /** Current time, ms. */
  now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** The DC a file lives on: its own when the cluster has it, else one chosen by its id. */
  fileDc(f: WFile): number {
    if (this.dcIds.includes(f.dcId) || this.dcIds.length === 0) return f.dcId;
    return this.dcIds[Number(f.id % BigInt(this.dcIds.length))];
  }

  /** A fresh file reference: issue time + a MAC, so validity needs no server-side table. */
  fileRef(f: WFile): Buffer {
    const t = Math.floor(this.now() / 1000);
    const b = Buffer.alloc(13);
    b[0] = 2;
    b.writeUInt32BE(t >>> 0, 1);
    b.writeUInt32BE(hash32(this.secret, f.id, t, "a"), 5);
    b.writeUInt32BE(hash32(this.secret, f.id, t, "b"), 9);
    return b;
  }

  /** Throws FILE_REFERENCE_INVALID / FILE_REFERENCE_EXPIRED unless `ref` is a live reference of `f`. */
  checkFileRef(f: WFile, ref: Uint8Array | undefined): void {
    const b = Buffer.from(ref ?? []);
    if (b.length !== 13 || b[0] !== 2) throw new RpcError(400, "FILE_REFERENCE_INVALID");
    const t = b.readUInt32BE(1);
    if (
      b.readUInt32BE(5) !== hash32(this.secret, f.id, t, "a") ||
      b.readUInt32BE(9) !== hash32(this.secret, f.id, t, "b")
    ) {
      throw new RpcError(400, "FILE_REFERENCE_INVALID");
    }
    const ttl = this.opts.faults.fileRefTtlS;
    if (ttl > 0 && this.now() / 1000 - t > ttl) throw new RpcError(400, "FILE_REFERENCE_EXPIRED");
  }

  /** The logged-in user of a call (the guard has already rejected calls without one). */
  me(ctx: RpcContext): bigint {
    if (ctx.auth.userId === undefined) throw new RpcError(401, "AUTH_KEY_UNREGISTERED");
    return ctx.auth.userId;
  }

  /** Conversion context for this call's layer and user. */
  tl(ctx: RpcContext): TlEnv {
    return {
      A: ctx.L.Api,
      layer: ctx.L.layer,
      world: this.world,
      me: ctx.auth.userId ?? 0n,
      fileDc: (f) => this.fileDc(f),
      fileRef: (f) => this.fileRef(f),
      thread: (chatId, topId) => this.thread(chatId, topId),
    };
  }

  /** Comment count and last id of a discussion thread. */
  thread(chatId: bigint, topId: number): { count: number; maxId: number } {
    const c = this.world.chats.get(`channel:${chatId}`);
    let count = 0, maxId = 0;
    for (const m of c?.messages ?? []) {
      if (m.reply && (m.reply.topId ?? m.reply.msgId) === topId) {
        count++;
        maxId = m.id;
      }
    }
    return { count, maxId };
  }

  /** Resolve an InputPeer (or InputChannel / InputUser) to a chat, enforcing access hashes. */
  // deno-lint-ignore no-explicit-any
  chat(input: any, me: bigint): WChat {
    const cls: string = input?.className ?? "";
    const w = this.world;
    if (cls === "InputPeerSelf" || cls === "InputUserSelf") return this._userChat(me);
    if (cls === "InputPeerUser" || cls === "InputUser") {
      const u = w.users.get(BigInt(input.userId.toString()));
      if (!u || u.accessHash !== BigInt(input.accessHash.toString())) {
        throw new RpcError(400, "PEER_ID_INVALID");
      }
      return this._userChat(u.id);
    }
    if (cls === "InputPeerChat") {
      const c = w.chats.get(`chat:${input.chatId}`);
      if (!c) throw new RpcError(400, "PEER_ID_INVALID");
      return c;
    }
    if (cls === "InputPeerChannel" || cls === "InputChannel") {
      const c = w.chats.get(`channel:${input.channelId}`);
      if (!c || c.accessHash !== BigInt(input.accessHash.toString())) {
        throw new RpcError(400, "CHANNEL_INVALID");
      }
      if (!c.selfMember && !c.username) throw new RpcError(400, "CHANNEL_PRIVATE");
      return c;
    }
    if (cls === "InputChannelEmpty") throw new RpcError(400, "CHANNEL_INVALID");
    throw new RpcError(400, "PEER_ID_INVALID");
  }

  /** A channel-type chat or CHANNEL_INVALID. */
  // deno-lint-ignore no-explicit-any
  channel(input: any, me: bigint): WChat {
    const c = this.chat(input, me);
    if (c.kind === "private" || c.kind === "group") throw new RpcError(400, "CHANNEL_INVALID");
    return c;
  }

  private _userChat(id: bigint): WChat {
    const key = `user:${id}`;
    const have = this.world.chats.get(key);
    if (have) return have;
    const u = this.world.users.get(id);
    // A user without history: an empty chat, stored only once something is sent.
    return {
      kind: "private",
      id,
      accessHash: u?.accessHash ?? 0n,
      title: u?.firstName ?? "",
      date: 0,
      messages: [],
      selfMember: true,
      participants: [id],
    };
  }
}
