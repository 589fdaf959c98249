/**
 * Checks one message of a Telegram Desktop export against the types Desktop writes
 * (export_output_json.cpp) before the reader maps it. A hand-edited or damaged export must not
 * crash the import or leave it half-written: a field of the wrong type is dropped (its message is
 * kept with what is valid), and a message without a usable id or date is left out.
 */

import type { Chat } from "../core/message.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** What a check found wrong with one value: the reason, or undefined when it is fine. */
type Check = (v: unknown) => string | undefined;

/** One field (path like `poll.answers[0].voters`) that was dropped, and why. */
export interface TdesktopFieldProblem {
  field: string;
  reason: string;
}

/** The message as far as it is usable (undefined: left out), and what was wrong. */
export interface TdesktopCheckResult {
  message?: Record<string, Json>;
  problems: TdesktopFieldProblem[];
}

/** One damaged message or chat entry of an export, in a one-line `message` naming it and its fields. */
export interface TdesktopWarning {
  /** The warning event's code. */
  code: "BAD_MESSAGE" | "BAD_CHAT";
  chat_id?: number;
  /** For a chat: where the export lists it (`result.json: chats.list[3]`). */
  entry?: string;
  message_id?: number;
  /** Paths of the bad fields, e.g. `poll.answers[0]`. */
  fields: string[];
  /** True when the message (or chat) was left out, false when kept without the bad fields. */
  skipped: boolean;
  message: string;
}

/** The last second JavaScript's Date can hold (8.64e15 ms after 1970). */
const MAX_UNIX = 8.64e12;

const STRING: Check = (v) => typeof v === "string" ? undefined : _expected("a string", v);
const BOOL: Check = (v) => typeof v === "boolean" ? undefined : _expected("true or false", v);
const COUNT: Check = (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? undefined : _expected("a whole number ≥ 0", v);
const ID: Check = (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? undefined : _expected("a positive id", v);
/** "user123" / "channel5", or a bare number. */
const PEER_ID: Check = (v) =>
  (typeof v === "string" && /^(user|channel|chat)?\d{1,16}$/.test(v)) ||
    (typeof v === "number" && Number.isSafeInteger(v))
    ? undefined
    : _expected("a peer id", v);
/** Desktop writes unix times as strings of digits; a number is accepted too. */
const UNIX_TIME: Check = (v) => {
  const n = typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) return _expected("a unix time", v);
  return n >= 0 && n <= MAX_UNIX ? undefined : `date out of range: ${_short(v)}`;
};
/** An ISO date-time; without a zone it is read as UTC (see the reader). */
const ISO_TIME: Check = (v) => {
  if (typeof v !== "string") return _expected("a date", v);
  const t = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(t)) return `not a date: ${_short(v)}`;
  return t >= 0 ? undefined : `date out of range: ${_short(v)}`;
};
/** A 64-bit id Desktop writes as a bare JSON number (or a string of digits). */
const BIG_ID: Check = (v) =>
  (typeof v === "number" && Number.isFinite(v) && v >= 0) || (typeof v === "string" && /^\d{1,20}$/.test(v))
    ? undefined
    : _expected("an id", v);
/** Desktop writes a custom emoji's document as its id or its file. */
const DOCUMENT: Check = (v) =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v))
    ? undefined
    : _expected("a document", v);
const LATITUDE: Check = (v) =>
  typeof v === "number" && Math.abs(v) <= 90 ? undefined : _expected("a latitude", v);
const LONGITUDE: Check = (v) =>
  typeof v === "number" && Math.abs(v) <= 180 ? undefined : _expected("a longitude", v);

/** A check, or how to walk a list or an object (fields not in `object` are not read, so dropped). */
type Rule = Check | {
  list?: Rule;
  object?: Record<string, Rule>;
  /** Fields without which the object means nothing (a location without a longitude). */
  required?: string[];
  /** A plain string is fine as it is (Desktop's text: a string or a list of parts). */
  orString?: true;
  /** null is kept (Desktop's "none", e.g. a deleted member). */
  orNull?: true;
};

/** A part of `text` / `text_entities`: a string, or an object with a string `text`. */
const TEXT_PART: Rule = {
  orString: true,
  object: {
    type: STRING,
    text: STRING,
    href: STRING,
    language: STRING,
    user_id: ID,
    document_id: DOCUMENT,
    collapsed: BOOL,
  },
};

/** Top-level message fields and their rules; fields not listed are passed on as they are. */
const FIELDS: Record<string, Rule> = {
  type: STRING,
  edited_unixtime: UNIX_TIME,
  edited: ISO_TIME,
  from: STRING,
  from_id: PEER_ID,
  author: STRING,
  actor: STRING,
  actor_id: PEER_ID,
  reply_to_message_id: ID,
  reply_to_peer_id: PEER_ID,
  forwarded_from: STRING,
  forwarded_from_id: PEER_ID,
  saved_from: STRING,
  via_bot: STRING,
  text: { orString: true, list: TEXT_PART },
  text_entities: { list: TEXT_PART },
  photo: STRING,
  photo_file_size: COUNT,
  file: STRING,
  thumbnail: STRING,
  file_size: COUNT,
  media_type: STRING,
  file_name: STRING,
  mime_type: STRING,
  sticker_emoji: STRING,
  performer: STRING,
  title: STRING,
  duration_seconds: COUNT,
  width: COUNT,
  height: COUNT,
  media_spoiler: BOOL,
  action: STRING,
  new_title: STRING,
  members: { list: { orNull: true, orString: true } },
  message_id: ID,
  duration: COUNT,
  period: COUNT,
  inviter: STRING,
  new_icon_emoji_id: BIG_ID,
  emoticon: STRING,
  information_text: STRING,
  discard_reason: STRING,
  live_location_period_seconds: COUNT,
  place_name: STRING,
  address: STRING,
  poll: {
    object: {
      question: STRING,
      closed: BOOL,
      total_voters: COUNT,
      answers: { list: { object: { text: STRING, voters: COUNT, chosen: BOOL } } },
    },
  },
  location_information: {
    object: { latitude: LATITUDE, longitude: LONGITUDE },
    required: ["latitude", "longitude"],
  },
  contact_information: { object: { first_name: STRING, last_name: STRING, phone_number: STRING } },
  reactions: { list: { object: { type: STRING, emoji: STRING, document_id: DOCUMENT, count: COUNT } } },
};

/**
 * Checks one raw message. A message that is not an object, has no positive id, or has no usable
 * date (date_unixtime, else date) is left out; any other field of the wrong type is dropped.
 *
 * @example
 * ```ts
 * checkTdesktopMessage({ id: 5, date_unixtime: "1700000000", poll: { answers: "x" } });
 * // { message: { id: 5, date_unixtime: "1700000000", poll: {} },
 * //   problems: [{ field: "poll.answers", reason: "expected a list, got the string \"x\"" }] }
 * ```
 */
export function checkTdesktopMessage(raw: unknown): TdesktopCheckResult {
  if (!_isObject(raw)) return { problems: [{ field: "message", reason: _expected("an object", raw) }] };
  const idBad = ID(raw.id);
  if (idBad) return { problems: [{ field: "id", reason: idBad }] };
  const unixBad = raw.date_unixtime === undefined || raw.date_unixtime === null
    ? "missing"
    : UNIX_TIME(raw.date_unixtime);
  const isoBad = raw.date === undefined || raw.date === null ? "missing" : ISO_TIME(raw.date);
  if (unixBad && isoBad) {
    // name the field that was there and wrong; "date" when neither was there
    if (unixBad !== "missing") return { problems: [{ field: "date_unixtime", reason: unixBad }] };
    return { problems: [{ field: "date", reason: isoBad }] };
  }
  const problems: TdesktopFieldProblem[] = [];
  const message: Record<string, Json> = {};
  for (const [k, v] of Object.entries(raw)) {
    const rule = Object.hasOwn(FIELDS, k) ? FIELDS[k] : undefined;
    // a top-level null is how Desktop writes "none" (a deleted sender): the reader treats it as absent
    if (rule === undefined || v === null) message[k] = v;
    else {
      const checked = _check(v, rule, k, problems);
      if (checked !== undefined) message[k] = checked;
    }
  }
  // one usable date is enough: the other, if bad, is dropped and reported
  if (unixBad) delete message.date_unixtime;
  if (isoBad) delete message.date;
  if (unixBad && unixBad !== "missing") problems.push({ field: "date_unixtime", reason: unixBad });
  if (isoBad && isoBad !== "missing") problems.push({ field: "date", reason: isoBad });
  return { message, problems };
}

/** The warning for one message `check` found damaged: `raw`, at `index` of `chat`'s messages. */
export function damageWarning(
  check: TdesktopCheckResult,
  where: { chat: Chat; raw: unknown; index: number },
): TdesktopWarning {
  const { chat, raw, index } = where;
  const rawId = (raw as { id?: unknown } | null)?.id;
  const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? rawId : undefined;
  const skipped = check.message === undefined;
  const problems = check.problems;
  const what = id !== undefined ? `Message ${id}` : `Message #${index + 1}`;
  const list = problems.map((p) => `${p.field} (${p.reason})`).join("; ");
  return {
    code: "BAD_MESSAGE",
    chat_id: chat.id,
    message_id: id,
    fields: problems.map((p) => p.field),
    skipped,
    message: `${what} of chat ${chat.id} (${chat.title}): ${skipped ? "left out" : "read without"} ${list}`,
  };
}

/** `v` as far as `rule` allows (undefined: none of it), each dropped part reported in `out`. */
function _check(v: unknown, rule: Rule, at: string, out: TdesktopFieldProblem[]): unknown {
  if (typeof rule === "function") {
    const bad = rule(v);
    if (bad) out.push({ field: at, reason: bad });
    return bad ? undefined : v;
  }
  if ((rule.orString && typeof v === "string") || (rule.orNull && v === null)) return v;
  if (rule.list) {
    if (!Array.isArray(v)) return _drop(out, at, "a list", v);
    const kept: unknown[] = [];
    v.forEach((item, i) => {
      const got = _check(item, rule.list!, `${at}[${i}]`, out);
      if (got !== undefined) kept.push(got);
    });
    return kept;
  }
  if (rule.object) {
    if (!_isObject(v)) return _drop(out, at, "an object", v);
    const obj: Record<string, Json> = {};
    for (const [k, sub] of Object.entries(rule.object)) {
      if (v[k] === undefined) continue;
      const got = _check(v[k], sub, `${at}.${k}`, out);
      if (got !== undefined) obj[k] = got;
    }
    const missing = (rule.required ?? []).find((k) => obj[k] === undefined);
    if (missing === undefined) return obj;
    if (v[missing] === undefined) out.push({ field: `${at}.${missing}`, reason: "missing" });
    return undefined;
  }
  return _drop(out, at, "a string", v);
}

function _drop(out: TdesktopFieldProblem[], at: string, what: string, v: unknown): undefined {
  out.push({ field: at, reason: _expected(what, v) });
  return undefined;
}

function _isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function _expected(what: string, v: unknown): string {
  return `expected ${what}, got ${_describe(v)}`;
}

function _describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${_short(v)}`;
  return `${typeof v} ${_short(v)}`;
}

function _short(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
