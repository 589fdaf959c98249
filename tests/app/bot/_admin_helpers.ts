/**
 * A running admin page on a fresh store, for HTTP and browser tests (always closed by `withAdmin`),
 * and the steps a person takes on it in a browser.
 */
import { type AdminServer, startAdminServer } from "../../../lib/app/bot/admin_server.ts";
import { type BotStore, openBotStore } from "../../../lib/store/bot/bot_store.ts";
import type { Tab } from "../../_helpers/chromium.ts";

/** The server, its store and a clock the store's expiry follows. */
export interface AdminFixture {
  server: AdminServer;
  store: BotStore;
  clock: { t: number };
}

/** Starts the admin page on 127.0.0.1 (port from the OS) over an in-memory store, runs `fn`, then closes both. */
export async function withAdmin(fn: (f: AdminFixture) => Promise<void>): Promise<void> {
  const clock = { t: 1_800_000_000_000 };
  const store = await openBotStore(":memory:", { now: () => clock.t });
  const stop = new AbortController();
  try {
    const server = await startAdminServer({ listen: "127.0.0.1:0", store, signal: stop.signal });
    try {
      await fn({ server, store, clock });
    } finally {
      stop.abort();
      await server.finished;
    }
  } finally {
    store.close();
  }
}

/** Logs in with a fresh link; returns the Cookie header value and the session's CSRF token. */
export async function login(f: AdminFixture): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(await f.server.loginLink());
  await res.body?.cancel();
  const set = res.headers.get("set-cookie") ?? "";
  const cookie = set.split(";")[0];
  const page = await (await fetch(`${f.server.url}/users`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
  return { cookie, csrf };
}

/** POSTs a urlencoded form without following the redirect. */
export async function post(
  f: AdminFixture,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return await fetch(`${f.server.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * Opens a one-time login link in `tab` from another site (as from a chat in Telegram Web: the
 * SameSite=Strict cookie must still reach the users page, which the login page moves on to by
 * itself); resolves to the path it landed on.
 */
export async function openLoginLink(tab: Tab, link: string): Promise<string> {
  await tab.goto(`data:text/html,<a id="go" href="${encodeURIComponent(link)}">log in</a>`);
  await tab.navigateBy(`document.getElementById("go").click()`, 2);
  return await tab.evaluate("location.pathname");
}

/** Searches the users page for `query`; resolves to the ids of the rows found. */
export async function searchUsers(tab: Tab, query: string): Promise<string[]> {
  await tab.navigateBy(`(() => {
    document.querySelector('input[name="q"]').value = ${JSON.stringify(query)};
    document.querySelector('form[role="search"] button').click();
  })()`);
  return await tab.evaluate(`[...document.querySelectorAll("tr[data-user]")].map((r) => r.dataset.user)`);
}

/** Clicks a user row's button (`ban`, `unban`, …) on the page shown; resolves to the status line. */
export async function clickUserButton(tab: Tab, id: string, value: string): Promise<string> {
  await tab.navigateBy(
    `document.querySelector('tr[data-user="${id}"] button[value="${value}"]').click()`,
  );
  return await tab.evaluate(`document.querySelector('[role="status"]')?.textContent ?? ""`);
}

/** Queues a broadcast through the broadcasts page's form; resolves to the newest row's text. */
export async function broadcastFromPage(tab: Tab, base: string, text: string): Promise<string> {
  await tab.goto(`${base}/broadcasts`);
  await tab.navigateBy(`(() => {
    document.querySelector('textarea[name="text"]').value = ${JSON.stringify(text)};
    document.querySelector('form[action="/broadcasts"] button').click();
  })()`);
  return await tab.evaluate(`document.querySelector("tr[data-broadcast]")?.textContent ?? ""`);
}
