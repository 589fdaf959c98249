/** The `--caption` template variables of `tgpipe upload`, for its checks, --help and docs. */

/** The template variables with what they stand for. */
export const CAPTION_VARS: Array<[string, string]> = [
  ["{name}", "file name"],
  ["{stem}", "file name without its extension"],
  ["{ext}", "extension without the dot"],
  ["{size}", "size for people (12.3 MB)"],
  ["{bytes}", "size in bytes"],
  ["{source}", "where it came from (path or URL)"],
  ["{index}", "its number in the run (1-based)"],
  ["{count}", "files in the run"],
];
