/** An aligned text table: a head row and rows of cells, columns two spaces apart, no trailing spaces. */
export function renderTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((v, i) => (v ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n") + "\n";
}

/** A KV time (ms) as `YYYY-MM-DD HH:MM:SS` UTC, or "-". */
export function tableTime(ms: number | undefined): string {
  return ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Cuts a cell to `max` characters with an ellipsis, and flattens line breaks. */
export function tableCell(text: string | undefined, max = 40): string {
  const t = (text ?? "-").replace(/\s+/g, " ");
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
