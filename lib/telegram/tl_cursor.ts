/**
 * A cursor over TL bytes for fast_history.ts: reads TL primitives without building GramJS
 * objects, and skips any object of GramJS's own schema (node_modules/telegram/tl/apiTl.js, parsed
 * once by GramJS's own parser), so the fast decoder reads only the fields tgpipe's model uses and
 * steps over the rest (reply markups, user statuses, web pages, ...) in the same layer as GramJS.
 * Anything the schema does not know throws {@link TlUnsupported}: the caller then falls back to GramJS.
 */
import { Buffer } from "node:buffer";
import {
  K_BOOL,
  K_BYTES,
  K_DOUBLE,
  K_FLAGS,
  K_I128,
  K_I256,
  K_INT,
  K_LONG,
  K_OBJECT,
  K_TRUE,
  type TlArg,
  type TlCtor,
  type TlPlan,
  tlSchema,
} from "./tl_schema.ts";

/** The fast decoder cannot read these bytes (unknown constructor, truncated data): use GramJS. */
export class TlUnsupported extends Error {
  constructor(what: string) {
    super(`fast TL decoder: ${what}`);
    this.name = "TlUnsupported";
  }
}

/** TL ids the reader handles itself, as GramJS's BinaryReader.tgReadObject does. */
export const BOOL_TRUE = 0x997275b5;
export const BOOL_FALSE = 0xbc799737;
export const VECTOR = 0x1cb5c415;

/** Reads TL primitives from a Buffer and skips whole objects (see module comment). */
export class TlCursor {
  readonly b: Buffer;
  o: number;
  readonly #schema: Map<number, TlCtor>;

  constructor(b: Buffer, offset = 0) {
    this.b = b;
    this.o = offset;
    this.#schema = tlSchema();
  }

  /** A signed 32-bit int. */
  int(): number {
    const o = this.o, b = this.b;
    if (o + 4 > b.length) throw new TlUnsupported("out of data");
    this.o = o + 4;
    return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
  }

  /** An unsigned 32-bit int (constructor ids). */
  uint(): number {
    return this.int() >>> 0;
  }

  /**
   * A signed 64-bit int as a JS number (Number() of GramJS's big-integer). Peer ids are below
   * 2^53; a larger one is left to GramJS rather than rounded in a second way.
   */
  longNumber(): number {
    const lo = this.int() >>> 0;
    const hi = this.int();
    if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
    throw new TlUnsupported("64-bit id beyond 2^53");
  }

  /** A signed 64-bit int as a decimal string (big-integer's toString). */
  longString(): string {
    const lo = this.int() >>> 0;
    const hi = this.int();
    if (hi >= -0x200000 && hi < 0x200000) return String(hi * 0x100000000 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  /** True when the 64-bit int ahead is 0 (and skips it). */
  longIsZero(): boolean {
    return (this.int() | this.int()) === 0;
  }

  /** A double. */
  double(): number {
    if (this.o + 8 > this.b.length) throw new TlUnsupported("out of data");
    const v = this.b.readDoubleLE(this.o);
    this.o += 8;
    return v;
  }

  /** Start and end of the TL `bytes`/`string` ahead; moves past it and its padding. */
  #span(): number {
    const b = this.b, o = this.o;
    if (o >= b.length) throw new TlUnsupported("out of data");
    let len = b[o], start = o + 1, head = 1;
    // as GramJS's tgReadBytes: only 254 announces a 3-byte length
    if (len === 254) {
      if (o + 4 > b.length) throw new TlUnsupported("out of data");
      len = b[o + 1] | (b[o + 2] << 8) | (b[o + 3] << 16);
      start = o + 4;
      head = 4;
    }
    const end = start + len;
    if (end > b.length) throw new TlUnsupported("out of data");
    this.o = o + ((head + len + 3) & ~3);
    this._end = end;
    return start;
  }

  /** End of the last span read (set by #span). */
  _end = 0;

  /** A TL string, decoded as GramJS does (Buffer's UTF-8, invalid bytes replaced). */
  string(): string {
    const start = this.#span();
    const end = this._end, b = this.b;
    // ASCII, the common case, without the decoder's call overhead
    if (end - start <= 24) {
      let s = "";
      for (let i = start; i < end; i++) {
        const c = b[i];
        if (c >= 0x80) return b.toString("utf8", start, end);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return b.toString("utf8", start, end);
  }

  /** TL bytes as lowercase hex (file references). */
  bytesHex(): string {
    const start = this.#span();
    return this.b.toString("hex", start, this._end);
  }

  /** Length of the TL bytes ahead, skipping them. */
  bytesLength(): number {
    const start = this.#span();
    return this._end - start;
  }

  /** A Bool; anything else is not what the schema says. */
  bool(): boolean {
    const id = this.uint();
    if (id === BOOL_TRUE) return true;
    if (id === BOOL_FALSE) return false;
    throw new TlUnsupported(`Bool expected, got ${id.toString(16)}`);
  }

  /** Reads a Vector's header and returns its length. */
  vector(): number {
    if (this.uint() !== VECTOR) throw new TlUnsupported("vector expected");
    const n = this.int();
    if (n < 0) throw new TlUnsupported("negative vector length");
    return n;
  }

  /** The schema entry of a constructor id; TlUnsupported when GramJS's schema lacks it. */
  ctor(id: number): TlCtor {
    const c = this.#schema.get(id);
    if (!c) throw new TlUnsupported(`unknown constructor ${id.toString(16)}`);
    return c;
  }

  /** Skips one boxed object (constructor id first), as GramJS's tgReadObject would read it. */
  skipObject(): void {
    const id = this.uint();
    if (id === BOOL_TRUE || id === BOOL_FALSE) return;
    if (id === VECTOR) {
      const n = this.int();
      for (let i = 0; i < n; i++) this.skipObject();
      return;
    }
    this.skipFields(this.ctor(id), 0, 0, 0);
  }

  /**
   * Skips the arguments of `c` from index `from` on, given the flags fields read so far (a
   * decoder reads the fields it needs and hands the rest over here).
   */
  skipFields(c: TlCtor, from: number, flags: number, flags2: number): void {
    const args = c.args;
    for (let i = from; i < args.length; i++) {
      const a = args[i];
      if (a.kind === K_FLAGS) {
        if (a.flagSlot === 0) flags = this.int();
        else flags2 = this.int();
        continue;
      }
      if (a.flagSlot >= 0 && ((a.flagSlot === 0 ? flags : flags2) & (1 << a.flagBit)) === 0) continue;
      this.skipArg(a);
    }
  }

  /** Skips one present argument (its flag, if any, was checked by the caller). */
  skipArg(a: TlArg): void {
    if (a.kind === K_TRUE) return;
    if (a.vector) {
      // bare vectors (vector<...>) have no id; GramJS's schema of the API uses only Vector<...>
      const n = this.vector();
      for (let j = 0; j < n; j++) this.#skipValue(a);
    } else this.#skipValue(a);
  }

  #skipValue(a: TlArg): void {
    switch (a.kind) {
      case K_INT:
        this.o += 4;
        break;
      case K_LONG:
      case K_DOUBLE:
        this.o += 8;
        break;
      case K_I128:
        this.o += 16;
        break;
      case K_I256:
        this.o += 32;
        break;
      case K_BYTES:
        this.#span();
        break;
      case K_BOOL:
        this.bool();
        break;
      case K_OBJECT:
        this.skipObject();
        break;
      default:
        // GramJS's API schema has no bare-typed arguments; one in a future layer takes GramJS's path
        throw new TlUnsupported(`bare type ${a.bare}`);
    }
    if (this.o > this.b.length) throw new TlUnsupported("out of data");
  }
}

/**
 * The fields of one object of a plan, in wire order: `next()` reads the flags fields, skips the
 * absent and uncoded fields, and returns the code of the next field the decoder reads (its value
 * is next in the cursor; a `true` flag has none), or 0 after the last.
 */
export class TlFields {
  private i = 0;
  private flags = 0;
  private flags2 = 0;

  constructor(private readonly c: TlCursor, private readonly plan: TlPlan) {}

  /** The code of the next present field to read; 0 at the end of the object. */
  next(): number {
    const args = this.plan.ctor.args, codes = this.plan.codes, c = this.c;
    while (this.i < args.length) {
      const a = args[this.i++];
      if (a.kind === K_FLAGS) {
        if (a.flagSlot === 0) this.flags = c.int();
        else this.flags2 = c.int();
        continue;
      }
      if (a.flagSlot >= 0 && ((a.flagSlot === 0 ? this.flags : this.flags2) & (1 << a.flagBit)) === 0) {
        continue;
      }
      const code = codes[this.i - 1];
      if (code !== 0) return code;
      c.skipArg(a);
    }
    return 0;
  }
}

/** Reads the constructor id ahead and checks it is `plan`'s; TlUnsupported otherwise. */
export function expectCtor(c: TlCursor, plan: TlPlan): TlFields {
  const id = c.uint();
  if (id !== plan.ctor.id) throw new TlUnsupported(`${plan.ctor.className} expected, got ${id.toString(16)}`);
  return new TlFields(c, plan);
}
