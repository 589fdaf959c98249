/** yt-dlp older than this is likely to fail on the big platforms, which change every few weeks. */
export const YT_DLP_MAX_AGE_DAYS = 90;

/**
 * How old a yt-dlp is, from its date version (2023.03.04, 2024.12.13.post1, nightly
 * 2025.01.02.232640): whole days before `now`, or undefined for a version that is not a date.
 */
export function ytDlpAgeDays(version: string, now: Date = new Date()): number | undefined {
  const m = /^(\d{4})\.(\d{1,2})\.(\d{1,2})/.exec(version.trim());
  if (!m) return undefined;
  const released = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.max(0, Math.floor((now.getTime() - released) / 86_400_000));
}

/** The doctor's warning for an old yt-dlp, or undefined when it is recent (or not a date version). */
export function ytDlpAgeWarning(version: string, now: Date = new Date()): string | undefined {
  const days = ytDlpAgeDays(version, now);
  if (days === undefined || days <= YT_DLP_MAX_AGE_DAYS) return undefined;
  return `yt-dlp ${version} is ${days} days old; sites change often, update it ` +
    "(`pipx upgrade yt-dlp`, `python3 -m pip install -U yt-dlp`, or `yt-dlp -U` for the standalone binary; " +
    "see docs/grab.md)";
}
