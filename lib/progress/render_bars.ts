import { type BarState, doneBytes, type ItemBar, movingSpeed, type PauseBar } from "./bar_state.ts";
import { formatBytes, formatDuration } from "../core/format.ts";

/** How bars are drawn besides the state, time and width. */
export interface RenderOptions {
  color: boolean;
  /** At most this many item lines; the rest are summed up in one line (default 8). */
  maxItems?: number;
}

type Color = "green" | "yellow" | "red" | "dim" | "cyan";
interface Segment {
  text: string;
  color?: Color;
}

const SGR: Record<Color, string> = { green: "32", yellow: "33", red: "31", dim: "2", cyan: "36" };
const BAR_MIN = 10;
const BAR_MAX = 30;

/**
 * The bar block as lines (without newlines), a pure function of (state, now, width): an overall
 * line, one line per pause with its countdown, one per item in flight. Each line fits in
 * `width - 1` columns so the terminal never wraps it (wrapping would break the redraw).
 */
export function renderBars(state: BarState, now: number, width: number, opts: RenderOptions): string[] {
  if (state.finished) return [];
  const cols = Math.max(20, width) - 1;
  const lines: Segment[][] = [];
  const pauses = [...state.pauses.values()].filter((p) => p.until > now);
  if (state.command === undefined && state.items.size === 0 && pauses.length === 0) return [];
  lines.push(_overall(state, now, cols));
  for (const p of pauses) lines.push(_pause(p, now));
  const max = opts.maxItems ?? 8;
  const items = [...state.items.values()];
  const shown = items.slice(0, max);
  // One name column for all items, so their bars line up; at most a quarter of the line.
  const longest = Math.max(0, ...shown.map((i) => [...i.name].length));
  const nameWidth = Math.max(8, Math.min(Math.floor(cols / 4), longest));
  for (const item of shown) lines.push(_item(item, now, cols, nameWidth));
  if (items.length > max) {
    lines.push([{ text: `  … and ${items.length - max} more in flight`, color: "dim" }]);
  }
  return lines.map((segs) => _fit(segs, cols, opts.color));
}

function _overall(state: BarState, now: number, cols: number): Segment[] {
  const bytes = doneBytes(state);
  const finished = state.itemsDone + state.itemsSkipped + state.itemsFailed;
  const speed = movingSpeed(state.samples, now);
  const stats: Segment[] = [];
  const items = state.totalItems !== undefined ? `${finished}/${state.totalItems}` : `${finished}`;
  stats.push({ text: ` ${items} items` });
  if (bytes > 0 || state.totalBytes !== undefined) {
    stats.push({ text: `  ${_bytes(bytes, state.totalBytes)}` });
  }
  stats.push(..._speedEta(speed, bytes, state.totalBytes));
  if (state.itemsFailed > 0) stats.push({ text: `  ${state.itemsFailed} failed`, color: "red" });
  const fraction = state.totalBytes
    ? bytes / state.totalBytes
    : state.totalItems
    ? finished / state.totalItems
    : undefined;
  const label = state.command ?? "working";
  return _withBar([{ text: label, color: "cyan" }], label.length, fraction, stats, cols, 48);
}

function _item(item: ItemBar, now: number, cols: number, nameWidth: number): Segment[] {
  const speed = movingSpeed(item.samples, now);
  const c = item.count;
  // an item that counts things (an export's messages) shows them, its speed and ETA; bytes beside
  const stats: Segment[] = c
    ? [
      {
        text: ` ${c.done.toLocaleString("en-US")}${
          c.total ? `/${c.total.toLocaleString("en-US")}` : ""
        } ${c.unit}`,
      },
      ..._countEta(movingSpeed(c.samples, now), c.done, c.total),
      ...(item.done > 0 ? [{ text: `  ${formatBytes(item.done)}`, color: "dim" as const }] : []),
    ]
    : [{ text: ` ${_bytes(item.done, item.total)}` }, ..._speedEta(speed, item.done, item.total)];
  const fraction = c
    ? (c.total ? c.done / c.total : undefined)
    : item.total
    ? item.done / item.total
    : undefined;
  return _withBar(
    [{ text: `  ${_truncate(item.name, nameWidth).padEnd(nameWidth)}` }],
    nameWidth + 2,
    fraction,
    stats,
    cols,
    36,
  );
}

function _pause(p: PauseBar, now: number): Segment[] {
  const left = Math.max(0, Math.ceil((p.until - now) / 1000));
  const who = p.account !== undefined ? ` (account ${_shortAccount(p.account)})` : "";
  const method = p.method ? ` on ${p.method}` : "";
  return [{ text: `  paused ${left}s: ${p.reason.replaceAll("_", " ")}${who}${method}`, color: "yellow" }];
}

function _withBar(
  head: Segment[],
  headLen: number,
  fraction: number | undefined,
  stats: Segment[],
  cols: number,
  reserve: number,
): Segment[] {
  // Room is measured against typical stats (`reserve`), not these: the bar keeps its width
  // while speed and ETA come and go.
  const statsLen = Math.max(reserve, stats.reduce((n, s) => n + s.text.length, 0));
  const room = cols - headLen - statsLen - 3;
  if (fraction === undefined || room < BAR_MIN) return [...head, ...stats];
  const width = Math.min(BAR_MAX, room);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return [
    ...head,
    { text: " [" },
    { text: "█".repeat(filled), color: "green" },
    { text: "░".repeat(width - filled), color: "dim" },
    { text: "]" },
    ...stats,
  ];
}

function _speedEta(speed: number | undefined, done: number, total: number | undefined): Segment[] {
  if (speed === undefined) return [{ text: "  –/s", color: "dim" }];
  const out: Segment[] = [{ text: `  ${formatBytes(Math.round(speed))}/s` }];
  if (total !== undefined && speed > 0 && done < total) {
    out.push({ text: `  ETA ${formatDuration((total - done) / speed)}`, color: "dim" });
  }
  return out;
}

function _countEta(speed: number | undefined, done: number, total: number | undefined): Segment[] {
  if (speed === undefined) return [{ text: "  –/s", color: "dim" }];
  const out: Segment[] = [{ text: `  ${Math.round(speed).toLocaleString("en-US")}/s` }];
  if (total !== undefined && speed > 0 && done < total) {
    out.push({ text: `  ETA ${formatDuration((total - done) / speed)}`, color: "dim" });
  }
  return out;
}

function _bytes(done: number, total: number | undefined): string {
  return total !== undefined ? `${formatBytes(done)}/${formatBytes(total)}` : formatBytes(done);
}

/** Phone numbers are personal data: show only the country code and the first digits. */
function _shortAccount(account: string): string {
  return account.length > 5 ? `${account.slice(0, 5)}…` : account;
}

// Cut in the middle: names of one run share their start (a chat folder, a date) and differ at the
// end (message id, file name), so cutting the end made them all look alike.
function _truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  const head = Math.floor((width - 1) / 3);
  const tail = Math.max(0, width - 1 - head);
  return `${chars.slice(0, head).join("")}…${tail > 0 ? chars.slice(-tail).join("") : ""}`;
}

/** Cuts segments to `cols` visible characters, then paints them (codes never count as width). */
function _fit(segs: Segment[], cols: number, color: boolean): string {
  let left = cols;
  let out = "";
  for (const seg of segs) {
    if (left <= 0) break;
    const chars = [...seg.text];
    const text = chars.length > left ? `${chars.slice(0, left - 1).join("")}…` : seg.text;
    left -= Math.min(chars.length, left);
    out += color && seg.color ? `\x1b[${SGR[seg.color]}m${text}\x1b[0m` : text;
  }
  return out;
}
