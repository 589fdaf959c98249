/**
 * Replaces GramJS's MTProtoState.decryptMessageData. Profiled on a download, AES-IGE decryption
 * was over half of the main thread, which also reads sockets, parses TL and writes files: with
 * one core saturated the other sat half idle. Big messages (file parts) are now decrypted in
 * place by crypto workers (the packet's buffer is moved there and back, never copied); small ones
 * stay on the calling thread, also in place (ige_in_place.ts). The checks and the parsing after
 * decryption are GramJS's own, in the same order.
 */
import { Buffer } from "node:buffer";
import "telegram";
import { MTProtoState } from "telegram/network/MTProtoState.js";
import { InvalidBufferError, SecurityError } from "telegram/errors/Common.js";
import { BinaryReader } from "telegram/extensions/BinaryReader.js";
import { TLMessage } from "telegram/tl/core/TLMessage.js";
import helpers from "telegram/Helpers.js";
import type bigInt from "big-integer";
import { WorkerStartError } from "../core/errors.ts";
import { WorkerPool } from "../engine/worker_pool.ts";
import { decryptInPlace, type DecryptResult, type DecryptTask } from "./ige_in_place.ts";
import { adoptPacketBuffer, isPacketBuffer } from "./packet_buffers.ts";

/** Messages at least this big go to a crypto worker (a 1 MB part; not acks, not history pages). */
const OFFLOAD_MIN = 64 * 1024;

interface _State {
  // deno-lint-ignore no-explicit-any
  authKey: any;
  id: bigInt.BigInteger;
  msgIds: string[];
  securityChecks: boolean;
  _calcKey(authKey: Buffer, msgKey: Buffer, client: boolean): Promise<{ key: Buffer; iv: Buffer }>;
}

let _installed = false;
let _original: unknown;
let _pool: WorkerPool<DecryptTask, DecryptResult> | undefined;
let _users = 0;
const _stats = { inline: 0, offloaded: 0 };
let _testUrl: URL | undefined;

/** Tests only: crypto workers started from now on load this module instead (e.g. one that cannot load). */
export function setCryptoWorkerTestUrl(url: URL | undefined): void {
  _testUrl = url;
}

/** Messages decrypted so far on the calling thread and in crypto workers, and whether workers run. */
export function fastDecryptStats(): { inline: number; offloaded: number; workersRunning: boolean } {
  return { ..._stats, workersRunning: _pool !== undefined && !_pool.startError };
}

/** Crypto workers for this thread: one less than the cores, at most 4; none on one core or in a worker. */
export function decryptWorkerCount(): number {
  if ("WorkerGlobalScope" in globalThis) return 0; // fetch workers decrypt their own parts
  return Math.max(0, Math.min(4, (navigator.hardwareConcurrency ?? 1) - 1));
}

/**
 * Installs the replacement (idempotent) and counts one user of the crypto workers; the returned
 * function releases it, and the last release stops the workers. Called by openClient.
 */
export function useFastDecrypt(): () => void {
  if (!_installed) {
    const proto = MTProtoState.prototype as unknown as Record<string, unknown>;
    _original = proto.decryptMessageData;
    proto.decryptMessageData = _decryptMessageData;
    _installed = true;
  }
  _users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--_users > 0 || !_pool) return;
    const pool = _pool;
    _pool = undefined;
    void pool.close();
  };
}

/** Puts GramJS's own method back (tests compare both in one process). */
export function uninstallFastDecrypt(): void {
  if (!_installed) return;
  (MTProtoState.prototype as unknown as Record<string, unknown>).decryptMessageData = _original;
  _installed = false;
}

async function _decryptMessageData(this: _State, body: Buffer): Promise<TLMessage> {
  if (!this.authKey) throw new Error("Auth key unset");
  if (body.length < 8) throw new InvalidBufferError(body);
  const keyId = helpers.readBigIntFromBuffer(body.subarray(0, 8));
  if (!this.authKey.keyId || keyId.neq(this.authKey.keyId)) {
    throw new SecurityError("Server replied with an invalid auth key");
  }
  const authKey: Buffer | undefined = this.authKey.getKey();
  if (!authKey) throw new SecurityError("Unset AuthKey");
  // copied: the packet's buffer may move to a worker
  const msgKey = Buffer.from(body.subarray(8, 24));
  const { iv, key } = await this._calcKey(authKey, msgKey, false);
  const task: DecryptTask = {
    buffer: body.buffer as ArrayBuffer,
    offset: body.byteOffset + 24,
    length: body.length - 24,
    key,
    iv,
    authPart: authKey.subarray(96, 128),
    msgKey,
  };
  const res = await _decrypt(task);
  adoptPacketBuffer(res.buffer);
  if (!res.ok) throw new SecurityError("Received msg_key doesn't match with expected one");
  const reader = new BinaryReader(Buffer.from(res.buffer, task.offset, task.length));
  reader.readLong(); // salt
  reader.readLong(); // session id (GramJS does not check it either)
  const remoteMsgId = reader.readLong();
  if (this.msgIds.includes(remoteMsgId.toString()) && this.securityChecks) {
    throw new SecurityError("Duplicate msgIds");
  }
  if (this.msgIds.length > 500) this.msgIds.shift();
  this.msgIds.push(remoteMsgId.toString());
  const remoteSequence = reader.readInt();
  reader.readInt(); // length of the inner object; the padding after it is never read
  const obj = reader.tgReadObject();
  return new TLMessage(remoteMsgId, remoteSequence, obj);
}

function _decrypt(task: DecryptTask): Promise<DecryptResult> | DecryptResult {
  const workers = decryptWorkerCount();
  // only a buffer the packet owns alone can be moved (small Buffers share Node's slab)
  const own = task.offset === 24 && isPacketBuffer(task.buffer);
  if (workers === 0 || task.length < OFFLOAD_MIN || !own || _users === 0 || _pool?.startError) {
    _stats.inline++;
    return decryptInPlace(task);
  }
  _stats.offloaded++;
  _pool ??= new WorkerPool<DecryptTask, DecryptResult>(
    new URL("../../workers/crypto_worker.ts", import.meta.url),
    { size: workers, queueSize: 1024, testUrl: _testUrl },
  );
  // a crypto worker that cannot start never took the buffer: this thread decrypts it, and all later ones
  return _pool.run(task, { transfer: [task.buffer] }).catch((err) => {
    if (!(err instanceof WorkerStartError)) throw err;
    _stats.offloaded--;
    _stats.inline++;
    return decryptInPlace(task);
  });
}
