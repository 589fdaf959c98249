import type { BotStore } from "../../store/bot/bot_store.ts";
import { DOWNLOAD_STATUSES, type DownloadStatus } from "../../core/bot_records.ts";
import { renderPage } from "../../bot/admin_layout.ts";
import { renderUsersPage } from "../../bot/admin_users_page.ts";
import { renderHistoryPage, renderRecognitionsPage } from "../../bot/admin_history_page.ts";
import { renderBroadcastsPage, renderSettingsPage } from "../../bot/admin_settings_page.ts";

/** Outcomes of the admin forms, shown after the redirect (a fixed list: links cannot inject text). */
export const NOTICES: Record<string, string> = {
  banned: "User banned",
  unbanned: "User unbanned",
  premium: "Premium granted",
  unpremium: "Premium removed",
  settings: "Settings saved",
  broadcast: "Broadcast queued: the running bot sends it",
  cancelled: "Broadcast cancelled",
};

/** Renders the page at `url` for a session, or undefined when there is no such page. */
export async function renderAdminView(store: BotStore, url: URL, csrf: string): Promise<string | undefined> {
  const p = url.searchParams;
  const frame = { path: url.pathname, csrf, notice: NOTICES[p.get("ok") ?? ""] };
  switch (url.pathname) {
    case "/users": {
      const search = p.get("q")?.trim() || undefined;
      const users = await store.users.list({ search, limit: 200 });
      return renderPage({ ...frame, title: "Users" }, renderUsersPage(users, { search, csrf }));
    }
    case "/history": {
      const status = DOWNLOAD_STATUSES.includes(p.get("status") as DownloadStatus)
        ? p.get("status") as DownloadStatus
        : undefined;
      const user = p.get("user")?.trim() || undefined;
      const platform = p.get("platform")?.trim() || undefined;
      const list = await store.downloads.list({ status, user_id: user, platform, limit: 200 });
      const platforms = await store.downloads.platforms();
      return renderPage(
        { ...frame, title: "Downloads" },
        renderHistoryPage(list, { status, user, platform, platforms }),
      );
    }
    case "/recognitions": {
      const list = await store.recognitions.list({ limit: 200 });
      return renderPage({ ...frame, title: "Recognition" }, renderRecognitionsPage(list));
    }
    case "/settings":
      return renderPage(
        { ...frame, title: "Settings" },
        renderSettingsPage(await store.settings.get(), csrf),
      );
    case "/broadcasts":
      return await _broadcasts(store, frame);
  }
  return undefined;
}

async function _broadcasts(store: BotStore, frame: { path: string; csrf: string; notice?: string }) {
  const list = [];
  for (const b of await store.broadcasts.list(50)) {
    list.push({ ...b, ...await store.broadcasts.counts(b.id) });
  }
  let recipients = 0;
  for await (const u of store.users.all()) if (!u.banned) recipients++;
  // While one is being sent, the page reloads itself to show the progress (no JavaScript).
  const live = list.some((b) => b.status === "sending" || b.status === "queued");
  return renderPage(
    { ...frame, title: "Broadcasts", refreshSeconds: live ? 5 : undefined },
    renderBroadcastsPage(list, { csrf: frame.csrf, recipients }),
  );
}
