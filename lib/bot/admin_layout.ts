import { html, type SafeHtml } from "./html.ts";

/** The pages of the admin site, in menu order. */
export const ADMIN_PAGES = [
  ["/users", "Users"],
  ["/history", "Downloads"],
  ["/recognitions", "Recognition"],
  ["/settings", "Settings"],
  ["/broadcasts", "Broadcasts"],
] as const;

/** What every page needs besides its body. */
export interface PageFrame {
  title: string;
  /** The current path, to mark the menu entry. */
  path: string;
  /** The session's CSRF token (the logout form carries it). */
  csrf: string;
  /** A one-line notice (the outcome of the last form). */
  notice?: string;
  /** Reload the page every few seconds (a broadcast in progress), without JavaScript. */
  refreshSeconds?: number;
}

const STYLE = `body{font:15px system-ui,sans-serif;margin:0;color:#111}header{background:#1d3557;color:#fff;
padding:.5rem 1rem;display:flex;gap:1rem;align-items:center}header a{color:#fff}header a.on{font-weight:700}
main{padding:1rem;max-width:75rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top}form.inline{display:inline}.notice{background:#e9f5e9;
padding:.5rem;border:1px solid #9c9}.muted{color:#666}label{display:block;margin:.5rem 0}
textarea{width:100%;max-width:40rem}header form{margin-left:auto}`;

/** A whole admin page: head, menu, notice and `body`. */
export function renderPage(frame: PageFrame, body: SafeHtml): string {
  const menu = ADMIN_PAGES.map(([href, label]) =>
    html`
      <a href="${href}" ${frame.path === href
        ? html`
          class="on"
        `
        : ""}>${label}</a>
    `
  );
  const refresh = frame.refreshSeconds
    ? html`<meta http-equiv="refresh" content="${frame.refreshSeconds}">`
    : "";
  return html`
    <!doctype html>
    <html lang="en">
      <head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
    <meta name="referrer" content="no-referrer">${refresh}
    <title>${frame.title} · tgpipe bot</title><style>${STYLE}</style></head>
      <body>
        <header><strong>tgpipe bot</strong>${menu}
    <form method="post" action="/logout">${csrfField(frame.csrf)}<button>Log out</button></form></header>
        <main><h1>${frame.title}</h1>${frame.notice
          ? html`<p class="notice" role="status">${frame.notice}</p>`
          : ""}
    ${body}</main>
      </body>
    </html>
  `.value;
}

/** The hidden CSRF field every form carries. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${csrf}">`;
}

/** The page shown without a valid session (401). */
export function renderLoginNeeded(reason: string): string {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>Login needed · tgpipe bot</title>
      </head>
      <body>
        <h1>Login needed</h1>
        <p>${reason}</p>
        <p>Open a fresh login link: send <code>/admin</code> to the bot, or use the link tgpipe printed.</p>
      </body>
    </html>
  `.value;
}

/** The page a login link opens: it sets the cookie and moves on to `next` by itself. */
export function renderLoggedIn(next: string): string {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta http-equiv="refresh" content="0;url=${next}">
        <title>Logged in · tgpipe bot</title>
      </head>
      <body>
        <p>Logged in. <a href="${next}">Continue</a></p>
      </body>
    </html>
  `.value;
}

/** `ms` as `YYYY-MM-DD HH:MM:SS` UTC, or "-". */
export function pageTime(ms: number | undefined): string {
  return ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
