import { UsageError } from "../../core/errors.ts";
import type { Emit } from "../../progress/events.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import { adminHandler } from "./admin_handler.ts";

/** Options of `startAdminServer`. */
export interface AdminServerOptions {
  /** `host:port` to listen on (port 0: one from the OS), e.g. 127.0.0.1:8081. */
  listen: string;
  store: BotStore;
  /** Closes the server (open connections included). */
  signal: AbortSignal;
  emit?: Emit;
  /** How long a login link works. Default 15 minutes. */
  loginTtlMs?: number;
  /** How long a session lasts. Default 12 hours. */
  sessionTtlMs?: number;
}

/** A running admin page. */
export interface AdminServer {
  /** Base URL, e.g. http://127.0.0.1:8081. */
  url: string;
  /** A fresh one-time login link (a secret: hand it to one admin, never log it). */
  loginLink(): Promise<string>;
  /** Resolves once the server has closed after `signal` aborted. */
  finished: Promise<void>;
}

/**
 * Starts the bot's admin page (server-rendered HTML, forms with POST, no JavaScript): users with
 * search, ban and premium toggles; downloads with filters; the recognition log; settings; the
 * broadcast form with progress. Access only through a one-time login link (see adminHandler).
 */
export async function startAdminServer(opts: AdminServerOptions): Promise<AdminServer> {
  const { hostname, port } = parseListen(opts.listen);
  const handler = adminHandler(opts.store, { sessionTtlMs: opts.sessionTtlMs ?? 12 * 3_600_000 });
  const ready = Promise.withResolvers<string>();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname,
      port,
      signal: opts.signal,
      onListen: (addr) => {
        const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
        ready.resolve(`http://${host}:${addr.port}`);
      },
      onError: (err) => {
        opts.emit?.({
          type: "warning",
          code: "ADMIN_PAGE_ERROR",
          message: (err as Error).message ?? String(err),
        });
        return new Response("Internal error\n", { status: 500 });
      },
    }, handler);
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse || err instanceof Deno.errors.PermissionDenied) {
      throw new UsageError(`Cannot listen on ${opts.listen}: ${(err as Error).message}`);
    }
    throw err;
  }
  const url = await ready.promise;
  opts.emit?.({ type: "log", level: "info", message: `Admin page on ${url}` });
  const loginTtl = opts.loginTtlMs ?? 15 * 60_000;
  return {
    url,
    loginLink: async () => `${url}/login?t=${await opts.store.auth.createLogin(loginTtl)}`,
    finished: server.finished,
  };
}

/** Splits `host:port` (IPv6 in brackets); a bad value is a UsageError (exit 2). */
export function parseListen(v: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(v.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--admin-listen must look like 127.0.0.1:8081, got ${v}`);
  return { hostname: m[1] ?? m[2], port };
}
