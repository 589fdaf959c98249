/**
 * TL layers for the fake DC. GramJS's `Api` speaks its own layer; older clients (Telethon
 * 1.25.1 = layer 144) get answers built from an `Api` generated from that layer's schema, by
 * re-evaluating GramJS's tl/api.js with another schema text.
 */
import { Buffer } from "node:buffer";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { BinaryReader } from "telegram/extensions/index.js";
import { Api as ApiDefault } from "telegram/tl/index.js";
import { LAYER, tlobjects } from "telegram/tl/AllTLObjects.js";
import type { Layer } from "../contract.ts";
import { addSchema, fastBytes, RawTl } from "./fast_tl.ts";

// deno-lint-ignore no-explicit-any
type TlClass = any;

function _buildMap(api: Record<string, TlClass>): Record<number, TlClass> {
  const map: Record<number, TlClass> = {};
  for (const tl of Object.values(api)) {
    if (typeof tl !== "function" && typeof tl !== "object") continue;
    if ("CONSTRUCTOR_ID" in tl) map[tl.CONSTRUCTOR_ID] = tl;
    else {for (const sub of Object.values(tl) as TlClass[]) {
        if (sub?.CONSTRUCTOR_ID) map[sub.CONSTRUCTOR_ID] = sub;
      }}
  }
  return map;
}

/** The layer GramJS 2.26.22 speaks (198); every object the server builds by default uses it. */
export const DEFAULT_LAYER: Layer = { layer: LAYER, Api: ApiDefault, map: tlobjects };

/** Builds a GramJS-style `Api` for another TL layer from that layer's schema text. */
export function loadLayer(layer: number, schemaText: string): Layer {
  const apiPath = fileURLToPath(import.meta.resolve("telegram/tl/api.js"));
  const realRequire = createRequire(apiPath);
  const src = Deno.readTextFileSync(apiPath);
  const module = { exports: {} as Record<string, TlClass> };
  const req = (name: string) => (name === "./apiTl.js" ? schemaText : realRequire(name));
  // `self` is shadowed so GramJS's localStorage schema cache (active under Deno) is bypassed.
  new Function("require", "module", "exports", "__filename", "__dirname", "self", src)(
    req,
    module,
    module.exports,
    apiPath,
    apiPath,
    undefined,
  );
  const api = module.exports.Api;
  addSchema(schemaText);
  // Constructors the old schema lacks fall back to the default layer's.
  return { layer, Api: api, map: { ...tlobjects, ...(_buildMap(api)) } };
}

const _cache = new Map<number, Layer>([[LAYER, DEFAULT_LAYER]]);
const _schemas: Record<number, string> = { 144: "../schemas/api144.tl" };

/**
 * The layer to answer a client that sent invokeWithLayer(n): the newest known schema that is
 * not newer than n (clients accept objects from their own layer, not from later ones).
 */
export function layerFor(n: number): Layer {
  const known = [LAYER, ...Object.keys(_schemas).map(Number)].sort((a, b) => b - a);
  const pick = known.find((k) => k <= n) ?? known[known.length - 1];
  let l = _cache.get(pick);
  if (!l) {
    const text = Deno.readTextFileSync(new URL(_schemas[pick], import.meta.url));
    l = loadLayer(pick, text);
    _cache.set(pick, l);
  }
  return l;
}

/** A BinaryReader that resolves constructors against a chosen layer. */
export class LayerReader extends BinaryReader {
  constructor(data: Uint8Array, readonly L: Layer) {
    super(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  override tgReadObject(): TlClass {
    const id = this.readInt(false);
    const clazz = this.L.map[id];
    if (clazz) return clazz.fromReader(this);
    this.seek(-4);
    return super.tgReadObject();
  }
}

const BOOL_TRUE = new Uint8Array([0xb5, 0x75, 0x72, 0x99]);
const BOOL_FALSE = new Uint8Array([0x37, 0x97, 0x79, 0xbc]);

function _serializeItem(x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof RawTl) return x.bytes;
  if (x === true) return BOOL_TRUE;
  if (x === false) return BOOL_FALSE;
  if (typeof x === "number") {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, x, true);
    return b;
  }
  if (typeof x === "bigint") {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, x, true);
    return b;
  }
  if (Array.isArray(x)) {
    const parts = x.map(_serializeItem);
    const out = new Uint8Array(8 + parts.reduce((n, p) => n + p.length, 0));
    const dv = new DataView(out.buffer);
    dv.setUint32(0, 0x1cb5c415, true);
    dv.setInt32(4, x.length, true);
    let o = 8;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
  if (x && typeof x === "object" && "getBytes" in x && typeof x.getBytes === "function") {
    return fastBytes(x);
  }
  throw new TypeError(`Cannot serialize handler result of type ${typeof x}`);
}

/**
 * Serializes what a handler returned: a TL object, boolean (Bool), number (int), bigint (long),
 * array (Vector) or raw bytes (already serialized TL).
 */
export function serializeResult(res: unknown): Uint8Array {
  return _serializeItem(res);
}
