/**
 * Swaps GramJS's 64-bit integer (de)serialisation for native BigInt reads and writes. GramJS
 * reads every TL `long` (peer ids, grouped ids, msg ids, salts) by reversing the bytes, hex-encoding
 * them and parsing the hex with big-integer: profiled, that was about a third of a fetch worker's
 * CPU in a history export. The results are the same big-integer values GramJS builds itself.
 * Telegram packs most history pages as gzip_packed: GramJS inflates them with pako (JavaScript,
 * with a CRC pass), native zlib does the same in a fraction of the time and gives the same bytes.
 */
import { Buffer } from "node:buffer";
import bigInt from "big-integer";
import readerModule from "telegram/extensions/BinaryReader.js";
import helpersModule from "telegram/Helpers.js";
import gzipModule from "telegram/tl/core/GZIPPacked.js";
import { unzipSync } from "node:zlib";

interface _Reader {
  stream: Buffer;
  offset: number;
  readLargeInt(bits: number, signed?: boolean): bigInt.BigInteger;
}

type _ToBuffer = (big: unknown, number?: number) => Buffer;

let _installed = false;
let _originalReadLong: ((this: _Reader, signed?: boolean) => bigInt.BigInteger) | undefined;
let _originalToBuffer: _ToBuffer | undefined;
let _originalUngzip: ((input: Buffer) => Buffer) | undefined;

interface _Gzip {
  ungzip(input: Buffer): Buffer;
}

/** GZIPPacked's class (its static ungzip is what every gzip_packed read calls). */
function _gzipClass(): _Gzip {
  return (gzipModule as unknown as { GZIPPacked: _Gzip }).GZIPPacked;
}

/** Inflates like pako.inflate (gzip or zlib wrapper, detected from the header) in native zlib. */
function _ungzip(input: Buffer): Buffer {
  return unzipSync(input);
}

/** Reads a TL `long` like GramJS's readLong (signed by default) without the hex round trip. */
function _readLong(this: _Reader, signed = true): bigInt.BigInteger {
  const at = this.offset;
  // out of data: GramJS's own path throws its own error ("No more data left to read")
  if (at + 8 > this.stream.length) return this.readLargeInt(64, signed);
  const v = signed ? this.stream.readBigInt64LE(at) : this.stream.readBigUInt64LE(at);
  this.offset = at + 8;
  return bigInt(v);
}

/**
 * Makes every GramJS reader in this process use native 64-bit reads, and MTProto's salt/session
 * id/msg id writes native 64-bit writes, and gzip_packed native inflation. Idempotent; called by openClient.
 */
export function installFastTl(): void {
  if (_installed) return;
  const proto = (readerModule as unknown as { BinaryReader: { prototype: Record<string, unknown> } })
    .BinaryReader.prototype;
  _originalReadLong = proto.readLong as typeof _originalReadLong;
  proto.readLong = _readLong;
  const helpers = helpersModule as unknown as {
    toSignedLittleBuffer: _ToBuffer;
    returnBigInt(v: unknown): bigInt.BigInteger;
  };
  const original = helpers.toSignedLittleBuffer;
  _originalToBuffer = original;
  // GramJS's MTProtoState reads `Helpers_1.toSignedLittleBuffer` at each use, so replacing the
  // export switches it (the TL serialiser keeps its own copy: requests are few).
  helpers.toSignedLittleBuffer = (big: unknown, number = 8) => {
    if (number !== 8) return original(big, number);
    const out = Buffer.alloc(8);
    out.writeBigUInt64LE(BigInt.asUintN(64, BigInt(helpers.returnBigInt(big).toString())));
    return out;
  };
  const gz = _gzipClass();
  _originalUngzip = gz.ungzip;
  gz.ungzip = _ungzip;
  _installed = true;
}

/** Puts GramJS's own functions back (tests compare both in one process). */
export function uninstallFastTl(): void {
  if (!_installed) return;
  const proto = (readerModule as unknown as { BinaryReader: { prototype: Record<string, unknown> } })
    .BinaryReader.prototype;
  proto.readLong = _originalReadLong;
  (helpersModule as unknown as { toSignedLittleBuffer: _ToBuffer }).toSignedLittleBuffer = _originalToBuffer!;
  _gzipClass().ungzip = _originalUngzip!;
  _installed = false;
}
