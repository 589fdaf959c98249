import { DOWNLOAD_STATUSES, type DownloadRecord, type RecognitionRecord } from "../core/bot_records.ts";
import { formatBytes } from "../core/format.ts";
import { pageTime } from "./admin_layout.ts";
import { html, type SafeHtml } from "./html.ts";

/** The filters of the downloads page. */
export interface HistoryFilter {
  status?: string;
  user?: string;
  platform?: string;
}

/** The downloads page: filters by status, user and platform, and the history table. */
export function renderHistoryPage(
  list: readonly DownloadRecord[],
  f: HistoryFilter & { platforms: readonly string[] },
): SafeHtml {
  const statuses = ["", ...DOWNLOAD_STATUSES].map((s) =>
    html`
      <option value="${s}" ${f.status === s
        ? html`
          selected
        `
        : ""}>${s || "any status"}</option>
    `
  );
  const platforms = ["", ...f.platforms].map((p) =>
    html`
      <option value="${p}" ${f.platform === p
        ? html`
          selected
        `
        : ""}>${p || "any platform"}</option>
    `
  );
  const rows = list.map((d) =>
    html`
      <tr>
        <td>${pageTime(d.created_at)}</td>
        <td><a href="/users?q=${d.user_id}">${d.user_id}</a></td>
        <td>${d.platform}</td>
        <td>${d.status}</td>
        <td>${d.format ?? "-"}</td>
        <td>${d.size !== undefined ? formatBytes(d.size) : "-"}</td>
        <td>${d.title ?? ""}<br><a href="${_safeUrl(d.url)}" rel="noreferrer">${d.url}</a>${d.error
          ? html`<br><span class="muted">${d.error}</span>`
          : ""}</td>
      </tr>
    `
  );
  return html`<form method="get" action="/history">
<select name="status" aria-label="Status">${statuses}</select>
<select name="platform" aria-label="Platform">${platforms}</select>
<input name="user" value="${f.user ?? ""}" placeholder="user id" aria-label="User id">
<button>Filter</button></form>
${
    list.length === 0 ? html`<p class="muted">No downloads.</p>` : html`
      <table>
        <thead>
          <tr>
            <th>Time</th>
            <th>User</th>
            <th>Platform</th>
            <th>Status</th>
            <th>Format</th>
            <th>Size</th>
            <th>Title and link</th>
          </tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
    `
  }`;
}

/** The recognition log page. */
export function renderRecognitionsPage(list: readonly RecognitionRecord[]): SafeHtml {
  if (list.length === 0) return html`<p class="muted">No recognition attempts yet.</p>`;
  const rows = list.map((r) =>
    html`
      <tr>
        <td>${pageTime(r.at)}</td>
        <td><a href="/users?q=${r.user_id}">${r.user_id}</a></td>
        <td>${r.kind}</td>
        <td>${r.title
          ? `${r.artist ? `${r.artist} – ` : ""}${r.title}`
          : html`<span class="muted">${r.error ?? "no match"}</span>`}</td>
      </tr>
    `
  );
  return html`
    <table>
      <thead>
        <tr>
          <th>Time</th>
          <th>User</th>
          <th>File</th>
          <th>Result</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

// Only web links become clickable: a javascript: URL sent to the bot must not run in the admin's page.
function _safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? url : "#";
}
