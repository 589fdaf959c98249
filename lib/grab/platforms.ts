/**
 * The platform registry: which service a link belongs to, by URL pattern (yt-dlp style: the
 * registry decides, yt-dlp extracts). Each entry carries the yt-dlp options that platform
 * always gets; any other http(s) URL goes to the generic entry, which yt-dlp's generic
 * extractor reads (pages with <video>, HLS and DASH manifests, direct files).
 */

/** The platforms tgpipe knows by name. */
export type PlatformId = "youtube" | "instagram" | "tiktok" | "snapchat" | "likee" | "generic";

/** One entry of the registry. */
export interface Platform {
  id: PlatformId;
  /** The name people read (docs, --info, events). */
  name: string;
  /** Matched against the whole URL (scheme, host, path); the first entry that matches wins. */
  patterns: readonly RegExp[];
  /** yt-dlp options this platform always gets, before the quality and audio options. */
  ytDlpArgs: readonly string[];
  /** The default output template (relative to --out), yt-dlp's syntax. */
  template: string;
  /** Added to "private/removed" and "restricted" errors: what usually helps. */
  hint?: string;
}

const HTTP = String.raw`^https?://`;
// Telegram plays H.264/AAC in MP4 inline: at equal resolution prefer those, and merge into MP4.
const MP4_FIRST = ["-S", "res,ext:mp4:m4a", "--merge-output-format", "mp4"];
const SOCIAL_TEMPLATE = "%(uploader|unknown).60B - %(title).80B [%(id)s].%(ext)s";
const COOKIES_HINT = "this platform often needs a logged-in browser's cookies: pass --cookies FILE " +
  "(Netscape format, e.g. exported with a cookies.txt browser extension)";

/** Every known platform, most specific first; `generic` is last and matches any http(s) URL. */
export const PLATFORMS: readonly Platform[] = [
  {
    id: "youtube",
    name: "YouTube",
    patterns: [
      // watch pages, shorts, live, embeds on www., m., music. and the no-cookie host
      new RegExp(
        HTTP + String.raw`(?:(?:www|m|music)\.)?youtube(?:-nocookie)?\.com/` +
          String.raw`(?:watch\?|shorts/|live/|embed/|v/|playlist\?|@|channel/|c/|user/)`,
        "i",
      ),
      new RegExp(HTTP + String.raw`youtu\.be/[\w-]{6,}`, "i"),
    ],
    // a watch link inside a playlist (&list=...) means the one video, not the whole list
    ytDlpArgs: ["--no-playlist", ...MP4_FIRST],
    template: "%(title).100B [%(id)s].%(ext)s",
    hint: "age-restricted and members-only videos need --cookies FILE of a logged-in account",
  },
  {
    id: "instagram",
    name: "Instagram",
    patterns: [
      new RegExp(
        HTTP + String.raw`(?:(?:www|m)\.)?instagram\.com/(?:[\w.]+/)?(?:p|reels?|tv|stories)/[\w.-]+`,
        "i",
      ),
      new RegExp(HTTP + String.raw`(?:www\.)?instagr\.am/(?:p|reel|tv)/[\w-]+`, "i"),
    ],
    ytDlpArgs: MP4_FIRST,
    template: SOCIAL_TEMPLATE,
    hint: COOKIES_HINT,
  },
  {
    id: "tiktok",
    name: "TikTok",
    patterns: [
      new RegExp(
        HTTP + String.raw`(?:(?:www|m)\.)?tiktok\.com/(?:@[\w.-]+/(?:video|photo)/\d+|v/\d+|t/\w+)`,
        "i",
      ),
      // short links from the app's share button
      new RegExp(HTTP + String.raw`(?:vm|vt)\.tiktok\.com/\w+`, "i"),
    ],
    // several formats are the same video with and without the watermark: yt-dlp ranks the clean one first
    ytDlpArgs: ["--no-playlist", ...MP4_FIRST],
    template: SOCIAL_TEMPLATE,
    hint: COOKIES_HINT,
  },
  {
    id: "snapchat",
    name: "Snapchat",
    patterns: [
      new RegExp(HTTP + String.raw`(?:www\.)?snapchat\.com/(?:spotlight|add|p|discover|s)/[\w.~-]+`, "i"),
      new RegExp(HTTP + String.raw`(?:story|t)\.snapchat\.com/[\w./~-]+`, "i"),
    ],
    ytDlpArgs: MP4_FIRST,
    template: SOCIAL_TEMPLATE,
    hint: COOKIES_HINT,
  },
  {
    id: "likee",
    name: "Likee",
    patterns: [
      new RegExp(
        HTTP + String.raw`(?:(?:www|m)\.)?likee\.(?:video|com)/(?:@[\w.-]+/video/\d+|v/\w+|s/\w+)`,
        "i",
      ),
      new RegExp(HTTP + String.raw`l\.likee\.video/v/\w+`, "i"),
    ],
    ytDlpArgs: MP4_FIRST,
    template: SOCIAL_TEMPLATE,
  },
  {
    id: "generic",
    name: "Any page",
    patterns: [new RegExp(HTTP + String.raw`[^/\s]+`, "i")],
    ytDlpArgs: [],
    template: "%(title).100B [%(id)s].%(ext)s",
  },
];

/**
 * The platform of `url`: the first entry whose pattern matches, else generic.
 *
 * @throws {RangeError} when `url` is not an http(s) URL (a usage error, exit 2)
 * @example
 * ```ts
 * detectPlatform("https://youtu.be/dQw4w9WgXcQ").id; // "youtube"
 * ```
 */
export function detectPlatform(url: string): Platform {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`Not a link: ${url} (grab takes http:// or https:// URLs)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new RangeError(`Not an http(s) link: ${url}`);
  }
  return PLATFORMS.find((p) => p.patterns.some((re) => re.test(url)))!;
}
