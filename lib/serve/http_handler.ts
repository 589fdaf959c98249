/**
 * The request handler of `tgpipe serve` (for Deno.serve): limits on what a request may be, the
 * route, the signature (checked before anything is looked up, so a refused request learns
 * nothing), the stream limits, then the planned response with its body streamed from the
 * catalog. Every request ends in one `http_access` event.
 */
import type { Emit } from "../progress/events.ts";
import type { Catalog, ServedFile } from "./catalog.ts";
import { contentDisposition } from "./content_disposition.ts";
import { type IndexItem, renderIndexPage, renderPlaylist } from "./index_page.ts";
import { planResponse } from "./plan_response.ts";
import { responseBody } from "./response_body.ts";
import { type ChatRoute, itemPath, itemResource, type ItemRoute, parseRoute } from "./routes.ts";
import { signResource, verifyResource } from "./signed_link.ts";
import type { StreamLimits } from "./stream_limits.ts";

/** Options of {@link serveHandler}. */
export interface HandlerOptions {
  /** The signing key; undefined serves without signatures (--public). */
  key?: CryptoKey;
  limits: StreamLimits;
  /** Serve /i/<chat> (HTML index) and /i/<chat>.m3u. */
  index: boolean;
  /** Chats served (usernames lower-cased, or ids); empty = any chat the accounts can read. */
  chats: readonly string[];
  /** Lifetime of the links an index page signs, in seconds. */
  linkTtlS: number;
  /** How long a lookup (before the first byte) may take. */
  lookupTimeoutMs: number;
  emit: Emit;
  /** Aborts when the server shuts down: streams in flight end then. */
  stop?: AbortSignal;
  /** Unix seconds now (tests). */
  nowS?: () => number;
}

type _Info = { remoteAddr: { hostname: string } | Deno.Addr };

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_URL = 4096;
const RETRY_AFTER_S = 5;

/** Builds the handler (see module comment). */
export function serveHandler(catalog: Catalog, opts: HandlerOptions) {
  const nowS = opts.nowS ?? (() => Math.floor(Date.now() / 1000));
  const allowed = new Set(opts.chats.map((c) => c.toLowerCase()));
  return async (req: Request, info: _Info): Promise<Response> => {
    const t0 = performance.now();
    const client = "hostname" in info.remoteAddr ? info.remoteAddr.hostname : "unix";
    const url = new URL(req.url);
    const log = (status: number, bytes: number) =>
      opts.emit({
        type: "http_access",
        method: req.method,
        path: url.pathname.slice(0, 512),
        status,
        bytes,
        ms: Math.round(performance.now() - t0),
        client,
        ...(req.headers.has("Range") ? { range: req.headers.get("Range")!.slice(0, 200) } : {}),
      });
    const text = (status: number, body: string, headers: Record<string, string> = {}) => {
      log(status, body.length);
      return new Response(req.method === "HEAD" ? null : body, {
        status,
        headers: {
          "Content-Type": "text/plain; charset=utf-8",
          "X-Content-Type-Options": "nosniff",
          ...headers,
        },
      });
    };
    if (req.url.length > MAX_URL) return text(414, "URI too long\n");
    let headerBytes = 0;
    for (const [k, v] of req.headers) headerBytes += k.length + v.length + 4;
    if (headerBytes > MAX_HEADER_BYTES) return text(431, "Request header fields too large\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      return text(405, "Method not allowed\n", { Allow: "GET, HEAD" });
    }
    const route = parseRoute(url.pathname);
    if (!route) return text(404, "Not found\n");
    if (route.kind === "health") return text(200, "ok\n", { "Cache-Control": "no-store" });
    const q = { exp: url.searchParams.get("exp"), sig: url.searchParams.get("sig") };
    if (opts.key && !await verifyResource(opts.key, route.resource, q, nowS())) {
      return text(403, "Forbidden\n");
    }
    if (allowed.size > 0 && !allowed.has(route.chat.toLowerCase())) return text(404, "Not found\n");
    if ((route.kind === "index" || route.kind === "playlist") && !opts.index) return text(404, "Not found\n");
    // (not req.signal: Deno.serve aborts it once a response is sent, and a client that leaves
    // mid-body cancels the body stream instead, which stops its transfers)
    const timeout = AbortSignal.timeout(opts.lookupTimeoutMs);
    const lookup = opts.stop ? AbortSignal.any([opts.stop, timeout]) : timeout;
    try {
      if (route.kind === "meta") {
        const meta = await catalog.metadata(route.chat, route.message, lookup);
        if (!meta) return text(404, "Not found\n");
        return text(200, JSON.stringify(meta) + "\n", { "Content-Type": "application/json" });
      }
      if (!("message" in route)) return await _index(route, url, lookup, text);
      return await _file(route, req, lookup, client, log, text);
    } catch (err) {
      opts.emit({
        type: "warning",
        code: "SERVE_LOOKUP",
        message: `${url.pathname}: ${(err as Error).message}`,
      });
      return text(502, "Telegram did not answer\n");
    }
  };

  async function _file(
    route: ItemRoute,
    req: Request,
    lookup: AbortSignal,
    client: string,
    log: (status: number, bytes: number) => void,
    text: (status: number, body: string, headers?: Record<string, string>) => Response,
  ): Promise<Response> {
    // a HEAD streams nothing and takes no slot
    const release = req.method === "GET" ? opts.limits.acquire(client) : () => {};
    if (!release) return text(503, "Too many streams\n", { "Retry-After": String(RETRY_AFTER_S) });
    let file: ServedFile | undefined;
    try {
      file = route.kind === "file"
        ? await catalog.file(route.chat, route.message, lookup)
        : await catalog.thumbnail(route.chat, route.message, lookup);
    } catch (err) {
      release();
      throw err;
    }
    if (!file) {
      release();
      return text(404, "Not found\n");
    }
    const url = new URL(req.url);
    const plan = planResponse(req, {
      size: file.size,
      type: file.type,
      etag: file.etag,
      lastModified: file.lastModified,
      disposition: contentDisposition(file.name, { attachment: url.searchParams.get("dl") === "1" }),
    });
    plan.headers.set("X-Content-Type-Options", "nosniff");
    plan.headers.set("Cache-Control", opts.key ? "private, max-age=3600" : "public, max-age=3600");
    const body = responseBody(file, plan.body, {
      signal: opts.stop ?? new AbortController().signal,
      onEnd: (sent) => {
        release();
        log(plan.status, sent);
      },
    });
    return new Response(body, { status: plan.status, headers: plan.headers });
  }

  async function _index(
    route: ChatRoute,
    url: URL,
    lookup: AbortSignal,
    text: (status: number, body: string, headers?: Record<string, string>) => Response,
  ): Promise<Response> {
    const entries = await catalog.list(route.chat, lookup);
    const exp = nowS() + opts.linkTtlS;
    const sign = async (path: string, resource: string) => {
      if (!opts.key) return path;
      const s = await signResource(opts.key, resource, exp);
      return `${path}?exp=${s.exp}&sig=${s.sig}`;
    };
    const items: IndexItem[] = [];
    for (const e of entries ?? []) {
      const resource = itemResource(route.chat, e.message);
      items.push({
        ...e,
        fileUrl: await sign(itemPath("f", route.chat, e.message, e.name), resource),
        thumbUrl: e.hasThumb ? await sign(itemPath("t", route.chat, e.message), resource) : undefined,
      });
    }
    const playlist = await sign(`/i/${route.chat}.m3u`, route.resource);
    if (!entries) return text(404, "Not found\n");
    const [type, body] = route.kind === "index"
      ? ["text/html; charset=utf-8", renderIndexPage(route.chat, items, playlist)]
      : ["audio/x-mpegurl; charset=utf-8", renderPlaylist(items, url.origin)];
    return text(200, body, { "Content-Type": type, "Cache-Control": "no-store" });
  }
}
