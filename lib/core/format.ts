/** Formats a byte count with binary units, e.g. 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Formats seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/**
 * A short excerpt of user input for an error line: at most `max` characters, then "…"; quoted as
 * a JSON string unless `quote` is false (JSON text reads better bare).
 */
export function excerpt(text: string, opts: { max?: number; quote?: boolean } = {}): string {
  const max = opts.max ?? 60;
  const chars = [...text];
  const short = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : text;
  return opts.quote === false ? short : JSON.stringify(short);
}
