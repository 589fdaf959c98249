/**
 * A fast TL writer for GramJS objects: byte-identical to their getBytes(), without its per-field
 * Buffer.alloc + Buffer.concat and big-integer shifting for every `long` (GramJS's api.js keeps
 * its own copy of toSignedLittleBuffer, so patching Helpers does not reach it). Field layouts come
 * from parsing the same schema texts GramJS builds its classes from. Serving getHistory was ~130 µs
 * of CPU per message with getBytes, which capped every history benchmark below its configured caps.
 */
import { Buffer } from "node:buffer";
import { parseTl } from "telegram/tl/generationHelpers.js";
import helpersModule from "telegram/Helpers.js";
import apiTl from "telegram/tl/apiTl.js";
import schemaTl from "telegram/tl/schemaTl.js";

// deno-lint-ignore no-explicit-any
type Tl = any;

interface Arg {
  name: string;
  type: string;
  isVector: boolean;
  isFlag: boolean;
  flagName: string | null;
  flagIndex: number;
  flagIndicator: boolean;
  useVectorId: boolean;
}

interface Layout {
  args: Arg[];
  /** Flag fields by indicator name (flags, flags2). */
  flags: Map<string, Arg[]>;
  /** A bare (lowercase) object argument: GramJS's getBytes then drops bytes; leave it to getBytes. */
  bare: boolean;
}

/** Already serialized TL, written as is (cached messages inside an answer). */
export class RawTl {
  constructor(readonly bytes: Uint8Array) {}
}

const _layouts = new Map<number, Layout>();
const PRIMITIVE = new Set([
  "int",
  "long",
  "int128",
  "int256",
  "double",
  "string",
  "Bool",
  "true",
  "bytes",
  "date",
]);

/** Adds the constructors of a TL schema text (GramJS's own schemas are added at load). */
export function addSchema(text: string): void {
  for (const d of (parseTl as Tl)(text, 109) as Iterable<Tl>) {
    if (d.isFunction || _layouts.has(d.constructorId)) continue;
    const args = Object.entries(d.argsConfig).map(([name, a]) => ({ ...(a as Arg), name }));
    const flags = new Map<string, Arg[]>();
    let bare = false;
    for (const a of args) {
      if (a.isFlag) flags.set(a.flagName!, [...(flags.get(a.flagName!) ?? []), a]);
      if (!a.flagIndicator && !PRIMITIVE.has(a.type)) {
        const c = a.type.charAt(a.type.indexOf(".") + 1);
        if (c !== c.toUpperCase()) bare = true;
      }
    }
    _layouts.set(d.constructorId, { args, flags, bare });
  }
}
addSchema(apiTl as unknown as string);
addSchema(schemaTl as unknown as string);

const _helpers = helpersModule as unknown as {
  toSignedLittleBuffer(big: unknown, n?: number): Buffer;
  returnBigInt(v: unknown): { toString(): string };
};

class Writer {
  buf = new Uint8Array(4096);
  dv = new DataView(this.buf.buffer);
  n = 0;

  need(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  u32(v: number): void {
    this.need(4);
    this.dv.setUint32(this.n, v >>> 0, true);
    this.n += 4;
  }
  raw(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  bytes(data: Uint8Array): void {
    const len = data.length;
    const head = len < 254 ? 1 : 4;
    const pad = (4 - ((head + len) % 4)) % 4;
    this.need(head + len + pad);
    if (len < 254) this.buf[this.n] = len;
    else {
      this.buf[this.n] = 254;
      this.buf[this.n + 1] = len & 255;
      this.buf[this.n + 2] = (len >> 8) & 255;
      this.buf[this.n + 3] = (len >> 16) & 255;
    }
    this.buf.set(data, this.n + head);
    this.buf.fill(0, this.n + head + len, this.n + head + len + pad);
    this.n += head + len + pad;
  }
}

const _enc = new TextEncoder();
// One writer reused by every call (serialization is synchronous); results are copied out.
const _w = new Writer();

function _long(w: Writer, x: Tl): void {
  let v: bigint;
  if (typeof x === "bigint") v = x;
  else if (typeof x === "number") v = BigInt(x);
  else if (x && typeof x.value === "bigint") v = x.value;
  else v = BigInt(_helpers.returnBigInt(x).toString());
  w.need(8);
  w.dv.setBigUint64(w.n, BigInt.asUintN(64, v), true);
  w.n += 8;
}

function _arg(w: Writer, x: Tl, type: string): void {
  switch (type) {
    case "int":
    case "date":
      if (type === "date" && !x) return w.u32(0);
      if (typeof x !== "number" || !Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) {
        throw new _Fallback();
      }
      return w.u32(x);
    case "long":
      return _long(w, x);
    case "int128":
    case "int256":
      return w.raw(_helpers.toSignedLittleBuffer(x, type === "int128" ? 16 : 32));
    case "double":
      w.need(8);
      w.dv.setFloat64(w.n, x, true);
      w.n += 8;
      return;
    case "string":
    case "bytes":
      if (typeof x === "string") return w.bytes(_enc.encode(x));
      if (!(x instanceof Uint8Array)) throw new _Fallback();
      return w.bytes(x);
    case "Bool":
      return w.u32(x ? 0x997275b5 : 0xbc799737);
    case "true":
      return;
    default:
      return _obj(w, x);
  }
}

/** Something this writer does not reproduce exactly: serialize with GramJS instead. */
class _Fallback extends Error {}

const _absent = (a: Arg, v: unknown) => (v === false && a.type !== "Bool") || v === null || v === undefined;

function _obj(w: Writer, x: Tl): void {
  if (x instanceof RawTl) return w.raw(x.bytes);
  if (x instanceof Uint8Array) return w.raw(x);
  const lay = x ? _layouts.get(x.CONSTRUCTOR_ID) : undefined;
  if (!lay || lay.bare || x.classType !== "constructor") {
    if (x === undefined || typeof x.getBytes !== "function") throw new _Fallback();
    return w.raw(x.getBytes());
  }
  w.u32(x.CONSTRUCTOR_ID);
  for (const a of lay.args) {
    const v = x[a.name];
    if (a.isFlag && (_absent(a, v) || a.type === "true")) continue;
    if (a.isVector) {
      if (a.useVectorId) w.u32(0x1cb5c415);
      w.u32(v.length);
      for (const e of v) _arg(w, e, a.type);
    } else if (a.flagIndicator) {
      let f = 0;
      for (const g of lay.flags.get(a.name) ?? []) if (!_absent(g, x[g.name])) f |= 1 << g.flagIndex;
      w.u32(f);
    } else _arg(w, v, a.type);
  }
}

/** Serializes a GramJS TL object (or RawTl) exactly as its getBytes() would, only faster. */
export function fastBytes(obj: Tl): Uint8Array {
  const w = _w;
  w.n = 0;
  try {
    _obj(w, obj);
  } catch (e) {
    if (!(e instanceof _Fallback) || obj instanceof RawTl) throw e;
    return obj.getBytes();
  }
  return w.buf.slice(0, w.n);
}
