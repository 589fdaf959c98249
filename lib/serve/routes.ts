/**
 * The URL paths `tgpipe serve` answers, parsed strictly: a chat (a username, or the chat's id
 * in digits), a message id and an optional decorative file name that is never used. No
 * part of a path ever names anything on disk; whatever does not match is a 404.
 */

/** A path about one message: its file, thumbnail or metadata. */
export interface ItemRoute {
  kind: "file" | "thumb" | "meta";
  chat: string;
  message: number;
  /** What its signature signs. */
  resource: string;
}

/** A path about a chat: its index page or playlist (--index). */
export interface ChatRoute {
  kind: "index" | "playlist";
  chat: string;
  resource: string;
}

/** What a path asks for. */
export type Route = { kind: "health" } | ItemRoute | ChatRoute;

// a username (never starts with a digit) or a chat id (digits): the two can never be confused
const CHAT = "([A-Za-z][A-Za-z0-9_]{3,31}|[0-9]{1,16})";
const MESSAGE = "([1-9][0-9]{0,9})";
const ITEM = new RegExp(`^/([ftm])/${CHAT}/${MESSAGE}(?:/[^/]{1,255})?$`);
const INDEX = new RegExp(`^/i/${CHAT}(/|\\.m3u)?$`);
const KINDS = { f: "file", t: "thumb", m: "meta" } as const;

/** Parses a URL path (as sent, percent-encoded); undefined for anything that is not a route. */
export function parseRoute(pathname: string): Route | undefined {
  if (pathname === "/healthz") return { kind: "health" };
  const item = ITEM.exec(pathname);
  if (item) {
    const chat = item[2];
    const message = Number(item[3]);
    return { kind: KINDS[item[1] as "f" | "t" | "m"], chat, message, resource: itemResource(chat, message) };
  }
  const index = INDEX.exec(pathname);
  if (index) {
    return { kind: index[2] === ".m3u" ? "playlist" : "index", chat: index[1], resource: `/${index[1]}` };
  }
  return undefined;
}

/** What a link to one message's file, thumbnail or metadata signs (see signed_link.ts). */
export function itemResource(chat: string, message: number): string {
  return `/${chat}/${message}`;
}

/** The path of a message's file, thumbnail or metadata, with its name (percent-encoded). */
export function itemPath(kind: "f" | "t" | "m", chat: string, message: number, name?: string): string {
  const tail = kind === "f" && name ? `/${encodeURIComponent(name.replaceAll("/", "_"))}` : "";
  return `/${kind}/${chat}/${message}${tail}`;
}
