/** HTML that is already safe to insert (made by `html` or `rawHtml`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Marks trusted markup as safe (only for constants, never for user text). */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type _Value = SafeHtml | string | number | boolean | null | undefined | readonly _Value[];

/**
 * A tagged template for HTML: every interpolated value is escaped unless it is SafeHtml (nested
 * `html` results), arrays are joined, and null, undefined and false print nothing, so user text
 * (usernames, titles, URLs) can never become markup.
 */
export function html(strings: TemplateStringsArray, ...values: _Value[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += _render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

function _render(v: _Value): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(_render).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}
