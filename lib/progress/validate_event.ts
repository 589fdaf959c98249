import { EVENT_SCHEMA, type FieldSchema } from "./event_schema.ts";

const BY_TYPE = new Map(EVENT_SCHEMA.map((t) => [t.type as string, t]));
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Checks one decoded JSON line against the event schema (event_schema.ts): the envelope, a known
 * type, no unknown fields, the required ones present, each of its JSON type. Returns the problems
 * (empty = valid).
 *
 * @example
 * ```ts
 * validateEvent(JSON.parse(line)); // [] or ["item_done: missing required field \"item\""]
 * ```
 */
export function validateEvent(value: unknown): string[] {
  if (!_isObject(value)) return ["event is not a JSON object"];
  const problems: string[] = [];
  if (value.v !== 1) problems.push(`v must be 1, got ${JSON.stringify(value.v)}`);
  if (typeof value.ts !== "string" || !ISO_UTC.test(value.ts) || Number.isNaN(Date.parse(value.ts))) {
    problems.push(`ts must be an ISO 8601 UTC time, got ${JSON.stringify(value.ts)}`);
  }
  const schema = typeof value.type === "string" ? BY_TYPE.get(value.type) : undefined;
  if (!schema) return [...problems, `unknown event type ${JSON.stringify(value.type)}`];
  const known = new Set(["v", "ts", "type", ...schema.fields.map((f) => f.name)]);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problems.push(`${schema.type}: unknown field "${key}"`);
  }
  for (const field of schema.fields) {
    const v = value[field.name];
    if (v === undefined) {
      if (field.required) problems.push(`${schema.type}: missing required field "${field.name}"`);
      continue;
    }
    const why = _checkType(field, v);
    if (why) problems.push(`${schema.type}.${field.name}: ${why}`);
  }
  return problems;
}

function _checkType(field: FieldSchema, v: unknown): string | undefined {
  switch (field.type) {
    case "any":
      return undefined;
    case "string":
      if (typeof v !== "string") return `expected string, got ${_kind(v)}`;
      if (field.values && !field.values.includes(v)) return `must be one of ${field.values.join(", ")}`;
      return undefined;
    case "integer":
      return Number.isSafeInteger(v) ? undefined : `expected integer, got ${_kind(v)}`;
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? undefined : `expected number, got ${_kind(v)}`;
    case "boolean":
      return typeof v === "boolean" ? undefined : `expected boolean, got ${_kind(v)}`;
    case "error":
      return _checkError(v);
  }
}

function _checkError(v: unknown): string | undefined {
  if (!_isObject(v)) return `expected error object, got ${_kind(v)}`;
  if (typeof v.code !== "string") return "error.code must be a string";
  if (typeof v.message !== "string") return "error.message must be a string";
  if (v.data !== undefined && !_isObject(v.data)) return "error.data must be an object";
  const extra = Object.keys(v).filter((k) => k !== "code" && k !== "message" && k !== "data");
  return extra.length ? `unknown error field "${extra[0]}"` : undefined;
}

function _isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function _kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v === "number" && !Number.isInteger(v) ? "number" : typeof v;
}
