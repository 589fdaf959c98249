/**
 * The contract between the fake DC's protocol server (tests/fakedc/mtproto, cluster.ts) and its
 * world and RPC handlers (tests/fakedc/world, tests/fakedc/handlers). Both sides code against
 * this file only.
 */

/** A TL schema as GramJS builds it: `Api` namespace plus constructor-id map. */
export interface Layer {
  layer: number;
  // deno-lint-ignore no-explicit-any
  Api: any;
  // deno-lint-ignore no-explicit-any
  map: Record<number, any>;
}

/** An RPC error answered as rpc_error (e.g. 420 FLOOD_WAIT_5, 303 FILE_MIGRATE_4). */
export class RpcError extends Error {
  constructor(readonly code: number, readonly errorMessage: string) {
    super(`${code} ${errorMessage}`);
  }
}

/** What the server knows about one auth key (shared by every DC of the cluster). */
export interface AuthRecord {
  keyIdHex: string;
  key: Uint8Array;
  /** DC the key was created on. */
  dcId: number;
  /** Logged-in user (set by auth.signIn / importBotAuthorization / importAuthorization). */
  userId?: bigint;
  /** Set by auth.logOut or a revocation fault: every call then fails AUTH_KEY_UNREGISTERED. */
  revoked?: boolean;
  /**
   * The key whose authorization auth.importAuthorization copied here: once that one is logged out
   * (revoked), calls on this key fail AUTH_KEY_UNREGISTERED too, as on Telegram.
   */
  importedFrom?: string;
}

/** Per-call context the server hands to a handler. */
export interface RpcContext {
  dcId: number;
  /** Schema the client speaks (GramJS: 198, Telethon 1.25.1: 144). Build answers with ctx.L.Api. */
  L: Layer;
  auth: AuthRecord;
  /** Unique per TCP connection (bandwidth caps and stalls are per connection). */
  connId: number;
  /** Set when the call was wrapped in invokeWithTakeout. */
  takeoutId?: bigint;
  /** The method name, e.g. "upload.GetFile". */
  method: string;
  /** Aborted when the connection closes. */
  signal: AbortSignal;
  /** Sends a server-initiated message (e.g. serialized Updates) on this call's session. */
  push?: (body: Uint8Array) => void;
  /** The call came wrapped in invokeWithoutUpdates: this session asked for no pushed updates. */
  noUpdates?: boolean;
}

/** A handler returns a TL object, a boolean, an array (Vector) or raw bytes. */
// deno-lint-ignore no-explicit-any
export type Handler = (req: any, ctx: RpcContext) => unknown | Promise<unknown>;

/** Handlers by GramJS className, e.g. "messages.GetHistory". */
export type HandlerMap = Record<string, Handler>;

/** One DC of the cluster. */
export interface DcSpec {
  id: number;
  host: string;
  port: number;
  /** A media-only DC (dcOptions flag media_only). */
  media?: boolean;
}

/** Deterministic fault settings (parsed from `--faults`, see faults.ts). */
export interface FaultSpec {
  /** Added round-trip latency per request, ms. */
  rttMs: number;
  /** Per-connection bandwidth cap, bytes/s each way (0 = none). */
  bandwidthBps: number;
  /** Probability per RPC of an unsolicited FLOOD_WAIT_X (X = floodSeconds). */
  floodP: number;
  floodSeconds: number;
  /** Rate rule: FLOOD_WAIT when more than `requests` calls of `method` in `windowS` per account. */
  /** Per (account, method) rate limits; `user` limits one account only (a user id). */
  floodRules: Array<{ method: string; requests: number; windowS: number; user?: string }>;
  /** Probability per RPC that the connection is dropped instead of answering. */
  disconnectP: number;
  /** Probability per RPC that no answer is ever sent (client must time out). */
  timeoutP: number;
  /** Probability per upload.getFile that the answer stalls (held for stallMs). */
  stallP: number;
  stallMs: number;
  /** File references older than this many seconds fail FILE_REFERENCE_EXPIRED (0 = never). */
  fileRefTtlS: number;
  /** Seconds a takeout request must wait (TAKEOUT_INIT_DELAY_X), 0 = none. */
  takeoutDelayS: number;
  /** Probability per upload.getFile of a FILE_MIGRATE to another DC even when asked at the right one. */
  migrateP: number;
  /**
   * Error rule: every call of `method` (naming `target` when given: a peer, channel or file id)
   * fails with RPC error `code`/`message`, e.g. a private channel or a file that is gone.
   */
  errorRules: Array<{ method: string; code: number; message: string; target?: string }>;
  /**
   * Probability per upload.getFile answer that one byte of it is flipped: same size, so only the
   * SHA-256 ranges of upload.getFileHashes (which describe the true bytes) can tell.
   */
  corruptP: number;
  /** File ids whose every upload.getFile answer is corrupted that way (a permanently bad copy). */
  corruptFiles: string[];
  /**
   * Config, not a fault: parts per uploaded file (help.getAppConfig upload_max_fileparts_default,
   * and _premium for premium users). Tests lower them to reach the size limit with small files.
   */
  uploadMaxParts: number;
  uploadMaxPartsPremium: number;
  /** Seconds uploaded parts are kept before a send that uses them (0 = for ever). */
  partTtlS: number;
}
