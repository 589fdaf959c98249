/**
 * The --index pages of a chat: an HTML list of its media with <video>/<audio> players, and an
 * M3U playlist of the same files. Links come signed from the caller; every text is escaped.
 */
import type { CatalogEntry } from "./catalog.ts";

/** One entry with the links the page uses (already signed when the server signs). */
export interface IndexItem extends CatalogEntry {
  fileUrl: string;
  thumbUrl?: string;
}

/** The HTML index of `chat`. */
export function renderIndexPage(chat: string, items: readonly IndexItem[], playlistUrl: string): string {
  const rows = items.map((it) => {
    const player = _isVideo(it)
      ? `<video controls preload="metadata" src="${_esc(it.fileUrl)}"${
        it.thumbUrl ? ` poster="${_esc(it.thumbUrl)}"` : ""
      } data-message="${it.message}"></video>`
      : _isAudio(it)
      ? `<audio controls preload="metadata" src="${_esc(it.fileUrl)}" data-message="${it.message}"></audio>`
      : it.kind === "photo"
      ? `<img loading="lazy" alt="" src="${_esc(it.fileUrl)}">`
      : "";
    return `<li id="m${it.message}"><a href="${_esc(it.fileUrl)}">${_esc(it.name)}</a> ` +
      `<small>${_esc(it.type)}, ${it.size} bytes</small>${player ? `<br>${player}` : ""}</li>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="referrer" content="no-referrer">
<title>${_esc(chat)} · tgpipe</title>
<style>body{font:16px system-ui,sans-serif;margin:1rem auto;max-width:60rem}li{margin:1rem 0}
video,img{max-width:100%}audio{width:100%}</style></head>
<body><h1>${_esc(chat)}</h1><p><a href="${_esc(playlistUrl)}">M3U playlist</a> · ${items.length} files</p>
<ul>
${rows.join("\n")}
</ul></body></html>
`;
}

/** The M3U playlist of the chat's audio and video (`base` makes its links absolute). */
export function renderPlaylist(items: readonly IndexItem[], base: string): string {
  const lines = ["#EXTM3U"];
  for (const it of items) {
    if (!_isVideo(it) && !_isAudio(it)) continue;
    lines.push(`#EXTINF:-1,${it.name.replace(/[\r\n]/g, " ")}`, new URL(it.fileUrl, base).href);
  }
  return lines.join("\n") + "\n";
}

function _isVideo(it: CatalogEntry): boolean {
  return it.kind === "video" || it.kind === "round" || it.type.startsWith("video/");
}

function _isAudio(it: CatalogEntry): boolean {
  return it.kind === "audio" || it.kind === "voice" || it.type.startsWith("audio/");
}

function _esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
