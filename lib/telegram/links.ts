/**
 * Pure parsers for how people name chats and messages: `@username`, `t.me/<name>`,
 * `t.me/c/<id>/...`, numeric ids (also Bot API style -100...), `me`, and message links with
 * topics and ranges (`t.me/name/100-200`). No network: resolution happens in resolve_chat.ts.
 */

/** A chat as the user named it, before resolution. */
export type ChatSpec =
  | { type: "me" }
  | { type: "username"; username: string }
  /** `peer` says what the id is when the notation tells (t.me/c and -100 ids are channels). */
  | { type: "id"; id: number; peer?: "channel" | "chat" };

/** A message link: one message (`from === to`) or an inclusive range, maybe inside a topic. */
export interface MessageLink {
  chat: ChatSpec;
  topicId?: number;
  from: number;
  to: number;
}

const USERNAME = /^[A-Za-z][A-Za-z0-9_]{2,31}$/;
const HOSTS = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\//i;
const RESERVED = new Set(["c", "s", "joinchat", "addstickers", "share", "proxy", "socks", "iv"]);

/**
 * Parses a chat reference; throws RangeError (exit 2) for anything it cannot read.
 *
 * @example
 * ```ts
 * parseChatSpec("@durov"); // { type: "username", username: "durov" }
 * parseChatSpec("https://t.me/c/1234"); // { type: "id", id: 1234, peer: "channel" }
 * parseChatSpec("-1001234"); // { type: "id", id: 1234, peer: "channel" }
 * ```
 */
export function parseChatSpec(text: string): ChatSpec {
  const s = text.trim();
  if (s === "me" || s === "self" || s === "saved") return { type: "me" };
  if (/^-?\d+$/.test(s)) return _numericId(s, text);
  if (s.startsWith("@")) return _username(s.slice(1), text);
  const path = _tmePath(s);
  if (path) {
    // a chat link names the chat only: anything after it (a message id, "abc") is not silently dropped
    const segments = path[0] === "c" || path[0] === "s" ? 2 : 1;
    if (path.length > segments) {
      throw new RangeError(
        `Not a chat: ${JSON.stringify(text)} (t.me/<chat>/<id> names a message; a chat is t.me/<chat>)`,
      );
    }
    if (path[0] === "c") return { type: "id", id: _positive(path[1], text), peer: "channel" };
    if (path[0] === "s") return _username(path[1] ?? "", text);
    return _username(path[0], text);
  }
  const tg = _tgResolve(s);
  if (tg) return _username(tg.domain, text);
  return _username(s, text);
}

/**
 * Parses a message link: `t.me/name/123`, `t.me/c/<id>/123`, `t.me/c/<id>/<topic>/123`,
 * `t.me/name/<topic>/123`, ranges `t.me/name/100-200`, and `tg://resolve?domain=x&post=1`.
 *
 * @example
 * ```ts
 * parseMessageLink("https://t.me/c/777/5/100-120");
 * // { chat: { type: "id", id: 777, peer: "channel" }, topicId: 5, from: 100, to: 120 }
 * ```
 */
export function parseMessageLink(text: string): MessageLink {
  const s = text.trim();
  const tg = _tgResolve(s);
  if (tg?.post) {
    const id = _positive(tg.post, text);
    return { chat: _username(tg.domain, text), from: id, to: id };
  }
  const path = _tmePath(s);
  if (!path) throw new RangeError(`Not a message link: ${JSON.stringify(text)} (expected t.me/<chat>/<id>)`);
  const isPrivate = path[0] === "c";
  const chat: ChatSpec = isPrivate
    ? { type: "id", id: _positive(path[1], text), peer: "channel" }
    : _username(path[0], text);
  const rest = path.slice(isPrivate ? 2 : 1);
  if (rest.length === 0 || rest.length > 2) {
    throw new RangeError(`Not a message link: ${JSON.stringify(text)} (expected t.me/<chat>/<id>)`);
  }
  const [from, to] = _range(rest[rest.length - 1], text);
  const link: MessageLink = { chat, from, to };
  if (rest.length === 2) link.topicId = _positive(rest[0], text);
  return link;
}

function _numericId(s: string, text: string): ChatSpec {
  if (s.startsWith("-100") && s.length > 4) {
    return { type: "id", id: _positive(s.slice(4), text), peer: "channel" };
  }
  if (s.startsWith("-")) return { type: "id", id: _positive(s.slice(1), text), peer: "chat" };
  return { type: "id", id: _positive(s, text) };
}

function _username(name: string, text: string): ChatSpec {
  if (!USERNAME.test(name) || RESERVED.has(name.toLowerCase())) {
    throw new RangeError(`Not a chat: ${JSON.stringify(text)} (use @username, t.me/<name>, an id or "me")`);
  }
  return { type: "username", username: name };
}

function _positive(s: string | undefined, text: string): number {
  const n = Number(s);
  if (!s || !/^\d+$/.test(s) || !Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`Bad id ${JSON.stringify(s ?? "")} in ${JSON.stringify(text)}`);
  }
  return n;
}

function _range(s: string, text: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new RangeError(`Bad message id ${JSON.stringify(s)} in ${JSON.stringify(text)}`);
  const from = _positive(m[1], text);
  const to = m[2] === undefined ? from : _positive(m[2], text);
  if (to < from) throw new RangeError(`Message range ${s} runs backwards in ${JSON.stringify(text)}`);
  return [from, to];
}

/** The path segments of a t.me URL (without query or fragment), or undefined. */
function _tmePath(s: string): string[] | undefined {
  if (!HOSTS.test(s)) return undefined;
  const path = s.replace(HOSTS, "").replace(/[?#].*$/, "");
  const parts = path.split("/").filter((p) => p !== "");
  if (parts.length === 0) return undefined;
  if (parts[0].startsWith("+") || parts[0].toLowerCase() === "joinchat") {
    throw new RangeError(`Invite links are not supported: ${JSON.stringify(s)}; join the chat first`);
  }
  return parts;
}

function _tgResolve(s: string): { domain: string; post?: string } | undefined {
  if (!/^tg:\/\/resolve\?/i.test(s)) return undefined;
  const q = new URLSearchParams(s.slice(s.indexOf("?") + 1));
  const domain = q.get("domain");
  if (!domain) return undefined;
  const post = q.get("post") ?? undefined;
  return post === undefined ? { domain } : { domain, post };
}
