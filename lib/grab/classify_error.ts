/**
 * Turns yt-dlp's stderr into a GrabError of a kind people act on: unsupported link,
 * private/removed, geo/age restricted, network, no such quality, a missing tool, or other.
 * yt-dlp's messages are English sentences; these patterns are the ones its extractors and
 * downloaders print (ERROR: lines), checked against Debian's 2023 yt-dlp and kept loose.
 */
import { GrabError, type GrabErrorKind } from "./grab_error.ts";

interface _Rule {
  kind: GrabErrorKind;
  reason?: string;
  re: RegExp;
}

// First match wins: the more specific sentences come before the HTTP status fallbacks.
const RULES: readonly _Rule[] = [
  { kind: "unsupported", re: /Unsupported URL|no suitable extractor|is not a valid URL/i },
  {
    kind: "tool_missing",
    re: /ffmpeg (?:is )?not (?:installed|found)|ffprobe and ffmpeg not found/i,
  },
  { kind: "no_format", re: /Requested format is not available|No video formats found/i },
  {
    kind: "restricted",
    reason: "geo",
    re: /geo[ -]?restrict|available (?:from|in) your (?:location|country)/i,
  },
  {
    kind: "restricted",
    reason: "age",
    re: /confirm your age|age[ -]restricted|inappropriate for some users|age verification/i,
  },
  {
    kind: "restricted",
    reason: "login",
    re:
      /only available for registered users|login required|requires? (?:a )?login|use --cookies|members[ -]only/i,
  },
  {
    kind: "unavailable",
    reason: "private",
    re: /private video|this video is private|account is private|is private/i,
  },
  {
    kind: "unavailable",
    reason: "removed",
    re: /video unavailable|has been removed|no longer available|been terminated|deleted|does not exist/i,
  },
  { kind: "unavailable", reason: "not_found", re: /HTTP Error 404|HTTP Error 410/i },
  { kind: "unavailable", reason: "forbidden", re: /HTTP Error 403/i },
  {
    kind: "network",
    re:
      /HTTP Error 5\d\d|Unable to connect|Connection (?:refused|reset|aborted)|timed out|IncompleteRead|Name or service not known|Temporary failure in name resolution|getaddrinfo|urlopen error|Remote end closed|bytes read, \d+ more expected|Did not get any data blocks|Downloaded \d+ bytes, expected \d+ bytes|ContentTooShort|Got server HTTP error|Errno 10[0-9]|Network is unreachable|SSL/i,
  },
];

/** What classification needs besides the stderr. */
export interface ClassifyContext {
  url: string;
  /** The platform's hint, added to private/restricted failures. */
  hint?: string;
}

/**
 * Classifies a failed yt-dlp run by its stderr tail; the error keeps the tail and says the
 * first `ERROR:` line in its message.
 */
export function classifyYtDlpError(rawTail: string, ctx: ClassifyContext): GrabError {
  // post-processing progress lines come without line ends and run into yt-dlp's own lines
  const stderrTail = rawTail.replace(/tgpipe:pp \{[^{}]*\}/g, "");
  const errors = stderrTail.split("\n").map((l) => l.trim()).filter((l) => /^ERROR:/.test(l));
  const text = errors.length > 0 ? errors.join("\n") : stderrTail;
  const rule = RULES.find((r) => r.re.test(text));
  const kind = rule?.kind ?? "failed";
  const said = _said(errors.at(-1) ?? stderrTail.trim().split("\n").at(-1) ?? "");
  const hint = kind === "unavailable" || kind === "restricted" ? ctx.hint : undefined;
  return new GrabError(`${SENTENCES[kind]}: ${ctx.url}${said ? ` (yt-dlp: ${said})` : ""}`, {
    kind,
    url: ctx.url,
    ...(rule?.reason ? { reason: rule.reason } : {}),
    stderr_tail: stderrTail,
    ...(hint ? { hint } : {}),
    ...(kind === "tool_missing" ? { tool: "ffmpeg" } : {}),
  });
}

const SENTENCES: Record<GrabErrorKind, string> = {
  unsupported: "Not a video link yt-dlp can read",
  unavailable: "The video is private, removed or not there",
  restricted: "The video is restricted (region, age or login)",
  network: "Network failure while grabbing",
  too_big: "Bigger than --max-size",
  no_format: "No format matches the requested quality (see --info)",
  tool_missing: "A tool yt-dlp needs is missing",
  upload: "Sending to the chat failed",
  failed: "yt-dlp failed",
};

function _said(line: string): string {
  // "ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found (caused by ...)"
  return line.replace(/^ERROR:\s*/, "").replace(/\s*\(caused by .*$/, "").slice(0, 300);
}
