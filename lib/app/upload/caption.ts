/**
 * The --caption template: `{name}`, `{stem}`, `{ext}`, `{size}` (human), `{bytes}`, `{source}`
 * (path or URL), `{index}` and `{count}` (the file's place in the run). Checked before any upload.
 */
import { UsageError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format.ts";
import { CAPTION_VARS } from "../../core/caption_vars.ts";

export { CAPTION_VARS };

// Telegram's caption limit (MEDIA_CAPTION_TOO_LONG past it)
const MAX_CAPTION = 1024;
const KNOWN = new Set(CAPTION_VARS.map(([k]) => k.slice(1, -1)));

/** Throws UsageError (exit 2) for an unknown variable. */
export function checkCaption(template: string): void {
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    if (!KNOWN.has(m[1])) {
      throw new UsageError(
        `Unknown --caption variable {${m[1]}} (known: ${[...KNOWN].map((k) => `{${k}}`).join(" ")})`,
      );
    }
  }
}

/** The caption of one file, cut to Telegram's 1024 characters. */
export function renderCaption(
  template: string,
  f: { name: string; size: number | undefined; source: string; index: number; count: number },
): string {
  const dot = f.name.lastIndexOf(".");
  const vars: Record<string, string> = {
    name: f.name,
    stem: dot > 0 ? f.name.slice(0, dot) : f.name,
    ext: dot > 0 ? f.name.slice(dot + 1) : "",
    size: f.size === undefined ? "" : formatBytes(f.size),
    bytes: f.size === undefined ? "" : String(f.size),
    source: f.source,
    index: String(f.index),
    count: String(f.count),
  };
  const text = template.replace(/\{(\w+)\}/g, (all, k: string) => vars[k] ?? all);
  return text.length > MAX_CAPTION ? text.slice(0, MAX_CAPTION - 1) + "…" : text;
}
