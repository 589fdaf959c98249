/**
 * TL bytes for the early session check (early_check.ts), on plain Uint8Arrays: no node:buffer
 * (the first node: import loads Deno's Node layer, tens of milliseconds) and no GramJS. A writer
 * for the one request, a reader for the answer; objects of the schema it carries
 * (early_schema.ts) are read by their layout, anything else throws {@link EarlyTlError}.
 */
import { EARLY_TL, VECTOR } from "./early_schema.ts";

const BOOL_TRUE = 0x997275b5, BOOL_FALSE = 0xbc799737;

/** The bytes are not what the early check can read: the caller falls back to GramJS. */
export class EarlyTlError extends Error {
  constructor(what: string) {
    super(`early TL: ${what}`);
    this.name = "EarlyTlError";
  }
}

/** Appends TL primitives to a growing buffer. */
export class TlWriter {
  #b = new Uint8Array(256);
  #o = 0;

  #room(n: number): void {
    if (this.#o + n <= this.#b.length) return;
    const b = new Uint8Array(Math.max(this.#b.length * 2, this.#o + n));
    b.set(this.#b);
    this.#b = b;
  }

  /** A 32-bit int (a constructor id may be given unsigned). */
  int(v: number): this {
    this.#room(4);
    new DataView(this.#b.buffer).setUint32(this.#o, v >>> 0, true);
    this.#o += 4;
    return this;
  }

  /** A 64-bit int. */
  long(v: bigint): this {
    this.#room(8);
    new DataView(this.#b.buffer).setBigInt64(this.#o, BigInt.asIntN(64, v), true);
    this.#o += 8;
    return this;
  }

  /** A TL string (UTF-8) or bytes, with its length prefix and padding to 4. */
  bytes(v: Uint8Array | string): this {
    const data = typeof v === "string" ? new TextEncoder().encode(v) : v;
    const head = data.length < 254 ? 1 : 4;
    const total = (head + data.length + 3) & ~3;
    this.#room(total);
    const b = this.#b, o = this.#o;
    if (head === 1) b[o] = data.length;
    else new DataView(b.buffer).setUint32(o, 254 | (data.length << 8), true);
    b.set(data, o + head);
    b.fill(0, o + head + data.length, o + total);
    this.#o += total;
    return this;
  }

  /** Raw bytes as they are. */
  raw(v: Uint8Array): this {
    this.#room(v.length);
    this.#b.set(v, this.#o);
    this.#o += v.length;
    return this;
  }

  /** What was written. */
  done(): Uint8Array {
    return this.#b.slice(0, this.#o);
  }
}

/** One argument of a constructor of the early schema. */
interface _Arg {
  name: string;
  /** "#", "true", "int", "long", "string", "bytes", or an object type. */
  type: string;
  vector: boolean;
  /** The flags field guarding it ("flags", "flags2") and its bit; none: always present. */
  flag?: { field: string; bit: number };
}

/** A constructor of the early schema, parsed from its TL line. */
export interface EarlyCtor {
  id: number;
  name: string;
  args: _Arg[];
}

let _ctors: Map<number, EarlyCtor> | undefined;

/** The early schema's constructors by id (parsed once from early_schema.ts's TL lines). */
export function earlyCtors(): Map<number, EarlyCtor> {
  if (_ctors) return _ctors;
  const out = new Map<number, EarlyCtor>();
  for (const line of EARLY_TL.split("\n")) {
    const m = line.match(/^([\w.]+)#([0-9a-f]+) (.*?)\s*= [\w.]+;$/);
    if (!m) throw new Error(`early schema: bad line ${line}`);
    const args: _Arg[] = [];
    for (const part of m[3].split(" ").filter(Boolean)) {
      const [, name, flagField, bit, rest] = part.match(/^(\w+):(?:(\w+)\.(\d+)\?)?(.+)$/)!;
      const vec = rest.match(/^Vector<(.+)>$/);
      args.push({
        name,
        type: vec ? vec[1] : rest,
        vector: !!vec,
        ...(flagField ? { flag: { field: flagField, bit: Number(bit) } } : {}),
      });
    }
    const id = parseInt(m[2], 16) >>> 0;
    out.set(id, { id, name: m[1], args });
  }
  _ctors = out;
  return out;
}

/** An object read by the schema: its constructor's name and its fields (objects nested likewise). */
export interface EarlyObject {
  _: string;
  [field: string]: unknown;
}

/** Reads TL primitives and schema objects from bytes. */
export class TlReader {
  readonly #dv: DataView;
  o: number;

  constructor(readonly b: Uint8Array, offset = 0) {
    this.#dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.o = offset;
  }

  #need(n: number): number {
    const o = this.o;
    if (o + n > this.b.length) throw new EarlyTlError("out of data");
    this.o = o + n;
    return o;
  }

  /** A signed 32-bit int. */
  int(): number {
    return this.#dv.getInt32(this.#need(4), true);
  }

  /** An unsigned 32-bit int (constructor ids). */
  uint(): number {
    return this.#dv.getUint32(this.#need(4), true);
  }

  /** A signed 64-bit int. */
  long(): bigint {
    return this.#dv.getBigInt64(this.#need(8), true);
  }

  /** TL bytes (a view into the buffer). */
  bytes(): Uint8Array {
    let len = this.b[this.#need(1)], head = 1;
    // as GramJS reads it: only 254 announces a 3-byte length
    if (len === 254) {
      const o = this.#need(3);
      len = this.b[o] | (this.b[o + 1] << 8) | (this.b[o + 2] << 16);
      head = 4;
    }
    const start = this.#need(len);
    this.#need(((head + len + 3) & ~3) - head - len);
    return this.b.subarray(start, start + len);
  }

  /** A TL string, decoded as GramJS does (UTF-8, invalid bytes replaced). */
  string(): string {
    return new TextDecoder().decode(this.bytes());
  }

  /** A boxed object of the early schema; EarlyTlError for a constructor it does not hold. */
  object(): EarlyObject {
    const id = this.uint();
    const ctor = earlyCtors().get(id);
    if (!ctor) throw new EarlyTlError(`unknown constructor 0x${id.toString(16)}`);
    const out: EarlyObject = { _: ctor.name };
    const flags: Record<string, number> = {};
    for (const a of ctor.args) {
      if (a.type === "#") {
        flags[a.name] = this.uint();
        continue;
      }
      if (a.flag && !((flags[a.flag.field] >>> a.flag.bit) & 1)) continue;
      if (a.type === "true") {
        out[a.name] = true;
        continue;
      }
      if (!a.vector) {
        out[a.name] = this.#value(a.type);
        continue;
      }
      if (this.uint() !== VECTOR) throw new EarlyTlError("vector expected");
      const n = this.int();
      if (n < 0 || n > this.b.length) throw new EarlyTlError("bad vector length");
      const items: unknown[] = [];
      for (let i = 0; i < n; i++) items.push(this.#value(a.type));
      out[a.name] = items;
    }
    return out;
  }

  #value(type: string): unknown {
    switch (type) {
      case "int":
        return this.int();
      case "long":
        return this.long();
      case "string":
        return this.string();
      case "bytes":
        return this.bytes().slice();
      case "double":
        return this.#dv.getFloat64(this.#need(8), true);
      case "Bool": {
        const id = this.uint();
        if (id !== BOOL_TRUE && id !== BOOL_FALSE) throw new EarlyTlError("Bool expected");
        return id === BOOL_TRUE;
      }
      default:
        // a bare or wider type (int128, a bare constructor): not in the early schema
        if (!/^[A-Z]/.test(type)) throw new EarlyTlError(`cannot read type ${type}`);
        return this.object();
    }
  }
}
