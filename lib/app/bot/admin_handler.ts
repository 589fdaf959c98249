import type { BotStore } from "../../store/bot/bot_store.ts";
import { renderLoggedIn, renderLoginNeeded } from "../../bot/admin_layout.ts";
import { escapeHtml } from "../../bot/html.ts";
import { runAdminAction } from "./admin_actions.ts";
import { renderAdminView } from "./admin_views.ts";

/** The session cookie's name. */
export const ADMIN_COOKIE = "tgpipe_admin";
const MAX_FORM_BYTES = 64 * 1024;
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  // No script runs on these pages at all: injected markup could not do anything even if escaping failed.
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

/** Options of the admin request handler. */
export interface AdminHandlerOptions {
  /** How long a session lasts after login. */
  sessionTtlMs: number;
}

/**
 * The admin page's request handler: `/login?t=<token>` spends a one-time token and sets an
 * HttpOnly SameSite=Strict session cookie; every other request needs that session (401
 * without), and every POST the session's CSRF token and no foreign Origin (403 otherwise).
 */
export function adminHandler(
  store: BotStore,
  opts: AdminHandlerOptions,
): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/login") return await _login(store, url, opts);
    const cookie = _cookie(req.headers.get("cookie"), ADMIN_COOKIE);
    const session = cookie ? await store.auth.session(cookie) : undefined;
    if (!cookie || !session) {
      return _page(401, renderLoginNeeded(cookie ? "Your session has expired." : "This page needs a login."));
    }
    if (req.method === "POST") {
      const form = await _checkedForm(req, url, session.csrf);
      if (form instanceof Response) return form;
      if (url.pathname === "/logout") {
        await store.auth.endSession(cookie);
        return _page(200, renderLoginNeeded("You are logged out."), { "set-cookie": _setCookie("", 0) });
      }
      const done = await runAdminAction(store, url.pathname, form);
      if (!done) return _text(404, "Not found");
      if ("redirect" in done) return _redirect(done.redirect);
      return _text(done.status, done.message);
    }
    if (req.method !== "GET" && req.method !== "HEAD") return _text(405, "Method not allowed");
    if (url.pathname === "/") return _redirect("/users");
    const body = await renderAdminView(store, url, session.csrf);
    return body === undefined ? _text(404, "Not found") : _page(200, body);
  };
}

async function _login(store: BotStore, url: URL, opts: AdminHandlerOptions): Promise<Response> {
  const token = url.searchParams.get("t") ?? "";
  const opened = token ? await store.auth.redeemLogin(token, opts.sessionTtlMs) : undefined;
  if (!opened) return _page(401, renderLoginNeeded("This login link is wrong, used already or expired."));
  // A page that moves on by itself, not a redirect: the link is usually opened from another site
  // (a chat), and browsers withhold a SameSite=Strict cookie for the rest of a cross-site redirect.
  return _page(200, renderLoggedIn("/users"), {
    "set-cookie": _setCookie(opened.session, Math.floor(opts.sessionTtlMs / 1000)),
  });
}

async function _checkedForm(req: Request, url: URL, csrf: string): Promise<FormData | Response> {
  const origin = req.headers.get("origin");
  if (origin && origin !== "null" && origin !== url.origin) {
    return _text(403, "Forbidden: a form from another site");
  }
  if (Number(req.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) return _text(413, "Form too large");
  const type = req.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    return _text(415, "Forms only");
  }
  const form = await req.formData().catch(() => undefined);
  if (!form) return _text(400, "Unreadable form");
  const sent = form.get("csrf");
  if (typeof sent !== "string" || !_sameString(sent, csrf)) {
    return _text(403, "Forbidden: the form's security token is missing or wrong; reload the page");
  }
  return form;
}

function _setCookie(value: string, maxAge: number): string {
  return `${ADMIN_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;
}

function _cookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=") || undefined;
  }
  return undefined;
}

// Compares in time independent of where the strings differ (the CSRF token is a secret).
function _sameString(a: string, b: string): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function _page(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...HEADERS, ...extra } });
}

function _text(status: number, message: string): Response {
  return _page(
    status,
    `<!doctype html><meta charset="utf-8"><title>${status}</title><p>${escapeHtml(message)}</p>`,
  );
}

function _redirect(location: string, extra: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { ...HEADERS, location, ...extra } });
}
