/** `tgpipe serve link`: a signed URL of one message's file, made offline with the server's secret. */
import { itemPath, itemResource } from "../../serve/routes.ts";
import { signingKey, signResource } from "../../serve/signed_link.ts";
import { parseMessageLink } from "../../telegram/links.ts";
import { loadSecret } from "./serve_secret.ts";

/** Options of {@link serveLink}. */
export interface ServeLinkOptions {
  /** A Telegram message link (t.me/name/123, t.me/c/<id>/123). */
  link: string;
  /** The server's base URL, e.g. http://127.0.0.1:8080 or https://media.example.org. */
  base: string;
  /** Seconds the link is valid. */
  expiresS: number;
  secret?: string;
  dataDir: string;
  /** Unix seconds now (tests). */
  nowS?: number;
}

/** The signed URL and when it expires. */
export interface ServeLink {
  url: string;
  expires: string;
}

/** Signs the file URL of `opts.link`; RangeError (exit 2) for a link that names no single message. */
export async function serveLink(opts: ServeLinkOptions): Promise<ServeLink> {
  const m = parseMessageLink(opts.link);
  if (m.from !== m.to) throw new RangeError(`Not one message: ${opts.link} (a range has no single file)`);
  if (m.chat.type === "me") throw new RangeError(`Saved Messages cannot be served: ${opts.link}`);
  const chat = m.chat.type === "username" ? m.chat.username : String(m.chat.id);
  const key = await signingKey(await loadSecret(opts.secret, opts.dataDir));
  const exp = (opts.nowS ?? Math.floor(Date.now() / 1000)) + opts.expiresS;
  const s = await signResource(key, itemResource(chat, m.from), exp);
  const url = new URL(`${itemPath("f", chat, m.from)}?exp=${s.exp}&sig=${s.sig}`, opts.base);
  return { url: url.href, expires: new Date(exp * 1000).toISOString() };
}
