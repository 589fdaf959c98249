/**
 * The proxy every Telegram connection goes through (`--proxy`, `proxy` in the config,
 * TGPIPE_PROXY): SOCKS5 (RFC 1928, user/password per RFC 1929), an HTTP proxy's CONNECT
 * (RFC 9110 §9.3.6) or an MTProxy (tg://proxy links, see mtproxy_link.ts). Parsed once, before
 * any request, so a bad value is a usage error (exit 2).
 */
import { TgpipeError, UsageError } from "./errors.ts";
import { ExitCode } from "./exit_codes.ts";
import { isMtproxyLink, parseMtproxyLink } from "./mtproxy_link.ts";

/** A parsed proxy. The password and the MTProxy secret never appear in messages or events. */
export interface ProxyConfig {
  kind: "socks5" | "http" | "mtproxy";
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** MTProxy: the 16-byte key (without a dd prefix). */
  secret?: Uint8Array;
  /** MTProxy with a dd or ee secret: the padded intermediate transport. */
  padded?: boolean;
  /** MTProxy with an ee secret: fake TLS with this SNI. */
  domain?: string;
}

const DEFAULT_PORT = { socks5: 1080, http: 8080 } as const;

/**
 * Parses `socks5://[user:pass@]host[:port]` (also `socks5h://`, `socks://`),
 * `http://[user:pass@]host[:port]` or an MTProxy link (`tg://proxy?server=…&port=…&secret=…`).
 *
 * @example
 * ```ts
 * parseProxy("socks5://me:secret@127.0.0.1:1080"); // { kind: "socks5", host: "127.0.0.1", port: 1080, ... }
 * ```
 */
export function parseProxy(raw: string): ProxyConfig {
  const text = raw.trim();
  if (isMtproxyLink(text)) return { kind: "mtproxy", ...parseMtproxyLink(text) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `Invalid proxy "${
        _safe(text)
      }": expected socks5://[user:pass@]host:port, http://host:port or tg://proxy?…`,
    );
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const kind = scheme === "socks5" || scheme === "socks5h" || scheme === "socks"
    ? "socks5"
    : scheme === "http"
    ? "http"
    : undefined;
  if (!kind) {
    throw new UsageError(`Unsupported proxy scheme "${scheme}": use socks5://, http:// or tg://proxy?…`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) throw new UsageError(`Invalid proxy "${_safe(text)}": no host`);
  if ((url.pathname !== "" && url.pathname !== "/") || url.search || url.hash) {
    throw new UsageError(`Invalid proxy "${_safe(text)}": a proxy URL has no path or query`);
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORT[kind];
  const cfg: ProxyConfig = { kind, host, port };
  if (url.username) cfg.username = decodeURIComponent(url.username);
  if (url.password) cfg.password = decodeURIComponent(url.password);
  if (kind === "socks5" && ((cfg.username?.length ?? 0) > 255 || (cfg.password?.length ?? 0) > 255)) {
    throw new UsageError("SOCKS5 user names and passwords are at most 255 bytes");
  }
  return cfg;
}

/** The proxy as people name it in messages: scheme, host and port, never credentials or secret. */
export function describeProxy(p: ProxyConfig): string {
  return `${p.kind}://${p.host.includes(":") ? `[${p.host}]` : p.host}:${p.port}`;
}

/** The URL with any password masked, for an error about the URL itself. */
function _safe(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}

/** The proxy could not be reached or would not open the tunnel (exit 1); says which and why. */
export class ProxyError extends TgpipeError {
  constructor(proxy: ProxyConfig, target: string, reason: string) {
    super(`Proxy ${describeProxy(proxy)} could not connect to ${target}: ${reason}`, {
      code: "PROXY",
      exitCode: ExitCode.FAILED,
      data: { proxy: describeProxy(proxy), target, reason },
    });
  }
}
