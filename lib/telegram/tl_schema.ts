/**
 * GramJS's TL schema, compiled for fast_history.ts: the text and parser GramJS builds its own
 * classes from (node_modules/telegram/tl/apiTl.js), so the fast decoder reads the layer GramJS
 * reads; and plans: which fields of a constructor a decoder reads by hand, checked against the
 * schema once (a GramJS upgrade that moves or retypes one turns the fast path off).
 */
import "telegram";
import apiTlModule from "telegram/tl/apiTl.js";
import generationModule from "telegram/tl/generationHelpers.js";

// argument kinds of the compiled schema
/** A flags field (`#`). */
export const K_FLAGS = 0;
/** A `true` flag: no bytes, only its bit. */
export const K_TRUE = 8;
/** Argument kinds the cursor reads or skips. */
export const K_INT = 1, K_LONG = 2, K_DOUBLE = 3, K_I128 = 4, K_I256 = 5, K_BYTES = 6, K_BOOL = 7;
export const K_OBJECT = 9, K_BARE = 10;

/** One argument of a constructor, compiled from GramJS's argsConfig. */
export interface TlArg {
  name: string;
  kind: number;
  /** Index of the flags field (0 = flags, 1 = flags2) that guards it; -1: always present. */
  flagSlot: number;
  flagBit: number;
  vector: boolean;
  /** Bare type name (constructor without its id), for K_BARE. */
  bare?: string;
  /** The TL type as GramJS's schema has it (without flag and vector), e.g. "int", "Peer". */
  type: string;
}

/** A constructor of the schema: GramJS's class name and its arguments in wire order. */
export interface TlCtor {
  id: number;
  className: string;
  args: TlArg[];
}

interface _ArgConfig {
  isVector: boolean;
  isFlag: boolean;
  skipConstructorId: boolean;
  flagName: string | null;
  flagIndex: number;
  flagIndicator: boolean;
  type: string | null;
  useVectorId: boolean | null;
}

interface _Definition {
  name: string;
  namespace?: string;
  constructorId: number;
  argsConfig: Record<string, _ArgConfig>;
  isFunction: boolean;
}

const _KINDS: Record<string, number> = {
  int: K_INT,
  date: K_INT,
  long: K_LONG,
  double: K_DOUBLE,
  int128: K_I128,
  int256: K_I256,
  string: K_BYTES,
  bytes: K_BYTES,
  Bool: K_BOOL,
  true: K_TRUE,
};

let _byId: Map<number, TlCtor> | undefined;

/** The schema's constructors by id (built once, from the same text and parser GramJS uses). */
export function tlSchema(): Map<number, TlCtor> {
  if (_byId) return _byId;
  const gen = generationModule as unknown as {
    parseTl(content: string, layer: number): Iterable<_Definition>;
  };
  const text = apiTlModule as unknown as string;
  const byId = new Map<number, TlCtor>();
  for (const d of gen.parseTl(text, 109)) {
    if (d.isFunction) continue;
    const flagSlots: string[] = [];
    const args: TlArg[] = [];
    for (const [name, a] of Object.entries(d.argsConfig)) {
      if (a.flagIndicator) {
        // the index of this flags field among the constructor's flags fields (flags, flags2)
        args.push({
          name,
          kind: K_FLAGS,
          flagSlot: flagSlots.push(name) - 1,
          flagBit: 0,
          vector: false,
          type: "#",
        });
        continue;
      }
      const type = a.type ?? "";
      const kind = _KINDS[type] ?? (a.skipConstructorId ? K_BARE : K_OBJECT);
      const flagSlot = a.isFlag ? flagSlots.indexOf(_camel(a.flagName ?? "")) : -1;
      args.push({
        name,
        kind,
        flagSlot,
        flagBit: a.isFlag ? a.flagIndex : 0,
        vector: a.isVector,
        type,
        ...(kind === K_BARE ? { bare: type } : {}),
      });
    }
    const className = d.namespace ? `${d.namespace}.${d.name}` : d.name;
    const ctor = { id: d.constructorId >>> 0, className, args };
    byId.set(ctor.id, ctor);
  }
  _byId = byId;
  return byId;
}

function _camel(s: string): string {
  return s.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

/** A constructor and, per argument, which of the decoder's fields it is (0: skip it). */
export interface TlPlan {
  ctor: TlCtor;
  codes: Uint8Array;
}

/**
 * The plan for decoding constructor `id` by hand: `fields` are "name:type" as GramJS's schema
 * spells them ("peerId:Peer", "entities:Vector<MessageEntity>", "out:true"); field i gets code
 * i + 1. Undefined when the schema lacks the constructor or a field, or a field's type differs:
 * the decoder then treats the constructor as unknown, and GramJS reads the page.
 */
export function tlPlan(id: number, fields: string[]): TlPlan | undefined {
  const ctor = tlSchema().get(id >>> 0);
  if (!ctor) return undefined;
  const codes = new Uint8Array(ctor.args.length);
  for (let f = 0; f < fields.length; f++) {
    const [name, type] = fields[f].split(":");
    const i = ctor.args.findIndex((a) => a.name === name);
    if (i < 0) return undefined;
    const a = ctor.args[i];
    if ((a.vector ? `Vector<${a.type}>` : a.type) !== type) return undefined;
    codes[i] = f + 1;
  }
  return { ctor, codes };
}

/** {@link tlPlan} for a GramJS class; throws when the schema no longer matches (see fastHistoryReady). */
export function needPlan(cls: { CONSTRUCTOR_ID: number; className?: string }, fields: string[]): TlPlan {
  const p = tlPlan(cls.CONSTRUCTOR_ID, fields);
  if (!p) throw new Error(`fast TL decoder: GramJS's ${cls.className} no longer has ${fields.join(" ")}`);
  return p;
}
