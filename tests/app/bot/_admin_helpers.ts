/** A running admin page on a fresh store, for HTTP and browser tests; always closed by `withAdmin`. */
import { type AdminServer, startAdminServer } from "../../../lib/app/bot/admin_server.ts";
import { type BotStore, openBotStore } from "../../../lib/store/bot/bot_store.ts";

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
