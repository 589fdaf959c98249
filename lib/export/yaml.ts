/**
 * A tiny YAML emitter for front matter. Every string is written as a JSON string, which is a
 * valid YAML double-quoted scalar, so no value (":", "#", "- ", "yes", "null", newlines, quotes)
 * can change type or structure.
 */

/** A value the emitter accepts: JSON data; undefined fields are left out. */
export type YamlValue = string | number | boolean | null | undefined | YamlValue[] | {
  [k: string]: YamlValue;
};

/**
 * Renders an object as YAML block mappings, e.g. for `---` front matter.
 *
 * @example
 * ```ts
 * toYaml({ title: "a: b", tags: ["x"] }); // 'title: "a: b"\ntags:\n  - "x"\n'
 * ```
 */
export function toYaml(obj: Record<string, YamlValue>): string {
  return _mapping(obj, "");
}

// Front matter repeats a few keys on every note: decide each key's form once.
const _keys = new Map<string, string>();

function _key(k: string): string {
  let key = _keys.get(k);
  if (key === undefined) {
    key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : JSON.stringify(k);
    if (_keys.size < 1000) _keys.set(k, key);
  }
  return key;
}

function _mapping(obj: Record<string, YamlValue>, indent: string): string {
  let out = "";
  // keys, not entries: no [key, value] pair per field (front matter is rendered for every note)
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    out += _entry(`${indent}${_key(k)}:`, v, indent);
  }
  return out;
}

function _entry(head: string, v: YamlValue, indent: string): string {
  if (Array.isArray(v)) {
    let body = "";
    for (const x of v) if (x !== undefined) body += _item(x, indent + "  ");
    return body.length === 0 ? `${head} []\n` : `${head}\n${body}`;
  }
  if (v !== null && typeof v === "object") {
    const body = _mapping(v, indent + "  ");
    return body.length === 0 ? `${head} {}\n` : `${head}\n${body}`;
  }
  return `${head} ${_scalar(v)}\n`;
}

function _item(v: YamlValue, indent: string): string {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const body = _mapping(v, indent + "  ");
    if (body.length === 0) return `${indent}- {}\n`;
    return `${indent}- ${body.slice(indent.length + 2)}`;
  }
  if (Array.isArray(v)) return `${indent}- ${JSON.stringify(v)}\n`;
  return `${indent}- ${_scalar(v)}\n`;
}

function _scalar(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}
