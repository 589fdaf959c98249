/**
 * The flags `download` and `sync` share: which files of a chat (type, size, dates, match, limit),
 * the accounts of the pool, and the number and size parsers behind them.
 */
import { Option } from "@commander-js/extra-typings";
import type { AnyCommand } from "./runtime.ts";
import type { DownloadFilter } from "../app/download/download_plan.ts";
import { UsageError } from "../core/errors.ts";
import { MEDIA_KINDS, type MediaKind } from "../core/message.ts";
import { checkDateRange, parseDate } from "./parse_date.ts";
import { parseSize } from "./parse_size.ts";
import { collect, intFlag } from "./flag_values.ts";

export { collect, intFlag };

/** The filter flags' values as commander gives them. */
export interface FilterFlags {
  type?: string;
  minSize?: string;
  maxSize?: string;
  after?: string;
  before?: string;
  match?: string;
  limit?: string;
}

/** The account pool flags' values. */
export interface AccountFlags {
  account?: string[];
  botToken?: string[];
}

/** Adds --type, --min-size, --max-size, --after, --before, --match and --limit. */
export function addFilterFlags<C extends AnyCommand>(cmd: C): C {
  return cmd
    .option("--type <types>", `only these media types, comma-separated (${MEDIA_KINDS.join(",")})`)
    .option("--min-size <size>", "only files at least this big (e.g. 500KB, 10MB)")
    .option("--max-size <size>", "only files at most this big")
    .option("--after <date>", "only messages on or after this date (YYYY-MM-DD or ISO time)")
    .option("--before <date>", "only messages before this date")
    .option("--match <regex>", "only files whose name or caption matches (case-insensitive)")
    .option("--limit <n>", "at most n files per chat") as C;
}

/** The filter of the flags; UsageError (exit 2) for a bad value or an empty date range. */
export function filterOf(flags: FilterFlags): DownloadFilter {
  const after = dateFlag(flags.after, "--after");
  const before = dateFlag(flags.before, "--before");
  checkDateRange(after, before);
  return {
    types: flags.type?.split(",").map((t) => t.trim() as MediaKind).filter(Boolean),
    minSize: sizeFlag(flags.minSize, "--min-size"),
    maxSize: sizeFlag(flags.maxSize, "--max-size"),
    after,
    before,
    match: flags.match,
    limit: intFlag(flags.limit, "--limit"),
  };
}

/** Adds the account pool's --account and --bot-token (repeatable). */
export function addAccountFlags<C extends AnyCommand>(cmd: C): C {
  return cmd
    .addOption(
      new Option(
        "--account <session>",
        "session file, string or `login --name` name of another account to share the work (a FLOOD_WAIT pauses only its account; " +
          "its parts move to a free one; repeatable)",
      ).argParser(collect),
    )
    .addOption(
      new Option(
        "--bot-token <token>",
        "a bot's token to share the work as another account (its session is cached in the data directory; " +
          "repeatable)",
      ).argParser(collect),
    ) as C;
}

/** A size flag (500KB, 10MB, 50GB; binary units), or undefined when not given. */
export const sizeFlag = parseSize;

/** A date flag as unix seconds, or undefined when not given. */
export function dateFlag(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseDate(v);
  } catch {
    throw new UsageError(`${flag} must be a date like 2024-01-31, got ${v}`);
  }
}
