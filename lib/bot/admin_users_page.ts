import type { BotUserRecord } from "../core/bot_records.ts";
import { csrfField, pageTime } from "./admin_layout.ts";
import { html, type SafeHtml } from "./html.ts";

/** The users page: a search form and a table with ban and premium toggles. */
export function renderUsersPage(
  users: readonly BotUserRecord[],
  q: { search?: string; csrf: string },
): SafeHtml {
  const rows = users.map((u) => {
    const name = [u.first_name, u.last_name].filter(Boolean).join(" ");
    return html`
      <tr data-user="${u.id}">
        <td>${u.id}</td>
        <td>${u.username ? `@${u.username}` : "-"}</td>
        <td>${name || "-"}</td>
        <td>${u.download_count}</td>
        <td>${pageTime(u.last_seen)}</td>
        <td>${_toggle(u, "ban", u.banned, q.csrf)}</td>
        <td>${_toggle(u, "premium", u.premium, q.csrf)}</td>
        <td>${u.blocked_bot ? "blocked the bot" : ""}</td>
      </tr>
    `;
  });
  return html`<form method="get" action="/users" role="search">
<input type="search" name="q" value="${
    q.search ?? ""
  }" placeholder="id or @username" aria-label="Search users">
<button>Search</button></form>
${
    users.length === 0
      ? html`<p class="muted">No users${
        q.search
          ? html`
            match “${q.search}”
          `
          : ""
      }.</p>`
      : html`
        <table>
          <thead>
            <tr>
              <th>ID</th>
              <th>Username</th>
              <th>Name</th>
              <th>Downloads</th>
              <th>Last seen</th>
              <th>Banned</th>
              <th>Premium</th>
              <th></th>
            </tr>
          </thead>
          <tbody>${rows}</tbody>
        </table>
      `
  }`;
}

function _toggle(u: BotUserRecord, what: "ban" | "premium", on: boolean, csrf: string): SafeHtml {
  const label = what === "ban" ? (on ? "Unban" : "Ban") : (on ? "Remove premium" : "Make premium");
  return html`${on ? "yes" : "no"} <form class="inline" method="post" action="/users/${u.id}/${what}">
${csrfField(csrf)}<input type="hidden" name="on" value="${on ? "0" : "1"}">
<button name="action" value="${what}">${label}</button></form>`;
}
