import type { BotSettings } from "../core/bot_records.ts";
import type { BroadcastCounts, BroadcastRecord } from "../core/bot_records.ts";
import { csrfField, pageTime } from "./admin_layout.ts";
import { html, type SafeHtml } from "./html.ts";

const MiB = 1024 * 1024;

/** The settings form (sizes in MiB, rates per minute). */
export function renderSettingsPage(s: BotSettings, csrf: string): SafeHtml {
  const num = (name: string, label: string, value: number) =>
    html`<label>${label} <input type="number" min="1" step="1" name="${name}" value="${value}" required></label>`;
  return html`<form method="post" action="/settings">${csrfField(csrf)}
<label><input type="checkbox" name="enabled" value="1"${
    s.enabled
      ? html`
        checked
      `
      : ""
  }> Bot enabled</label>
${num("rate_limit_per_minute", "Requests a minute per user", s.rate_limit_per_minute)}
${num("premium_rate_limit_per_minute", "Requests a minute per premium user", s.premium_rate_limit_per_minute)}
${num("max_file_size_mib", "Largest file, MiB", Math.round(s.max_file_size / MiB))}
${
    num(
      "premium_max_file_size_mib",
      "Largest file for premium users, MiB",
      Math.round(s.premium_max_file_size / MiB),
    )
  }
<label>Maintenance message (empty: no maintenance)<br>
<textarea name="maintenance_message" rows="3">${s.maintenance_message ?? ""}</textarea></label>
<button>Save settings</button></form>`;
}

/** The broadcast form and the list of broadcasts with their progress. */
export function renderBroadcastsPage(
  list: readonly (BroadcastRecord & BroadcastCounts)[],
  q: { csrf: string; recipients: number },
): SafeHtml {
  const rows = list.map((b) =>
    html`
      <tr data-broadcast="${b.id}">
        <td>${pageTime(b.created_at)}</td>
        <td>${b.status}</td>
        <td>${b.sent}</td>
        <td>${b.failed}</td>
        <td>${b.blocked}</td>
        <td>${b.media_path ? html`<code>${b.media_path}</code><br>` : ""}${b.text ?? ""}</td>
        <td>${b.by}</td>
        <td>${_cancel(b, q.csrf)}</td>
      </tr>
    `
  );
  return html`<form method="post" action="/broadcasts">${csrfField(q.csrf)}
<label>Message to all ${q.recipients} users who are not banned<br>
<textarea name="text" rows="4" aria-label="Broadcast text"></textarea></label>
<label>File on the bot's machine to send with it (optional)<br><input name="media_path" size="60"></label>
<button>Queue broadcast</button></form>
${
    list.length === 0 ? html`<p class="muted">No broadcasts yet.</p>` : html`
      <h2>Broadcasts</h2>
      <table>
        <thead>
          <tr>
            <th>Queued</th>
            <th>Status</th>
            <th>Sent</th>
            <th>Failed</th>
            <th>Blocked</th>
            <th>Message</th>
            <th>By</th>
            <th></th>
          </tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
    `
  }`;
}

function _cancel(b: BroadcastRecord, csrf: string): SafeHtml | "" {
  if (b.status !== "queued" && b.status !== "sending") return "";
  return html`
    <form class="inline" method="post"
      action="/broadcasts/${b.id}/cancel">${csrfField(csrf)}<button>Cancel</button></form>
  `;
}
