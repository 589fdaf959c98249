import { Command, Option } from "@commander-js/extra-typings";
import type { DownloadReport } from "../../app/download/download.ts";
import { UsageError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format.ts";
import { MEDIA_KINDS, type MediaKind } from "../../core/message.ts";
import { TEMPLATE_VARS } from "../../core/name_template.ts";
import { addMediaFlags, MEDIA_FLAGS_HELP, type MediaFlags, mediaSettings } from "../media_flags.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { parseSize } from "../parse_size.ts";
import { readInputsFile } from "../read_inputs_file.ts";
import { checkDateRange, parseDate } from "../parse_date.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe download https://t.me/durov/123 --out ./media
  tgpipe dl https://t.me/c/1234567/100-200 --out ./media
  tgpipe dl @channel --type video,photo --min-size 1MB --after 2024-01-01 --limit 50 --out ./media
  tgpipe dl @channel --template "{chat}/{date:YYYY-MM}/{id}_{filename}" --skip-same --out ./media
  cat links.txt | tgpipe dl --from-file - --out ./media --json
  tgpipe dl @channel --type voice,round --out ./media --transcribe --whisper-model ~/models/ggml-base.bin
  tgpipe dl @channel --account ~/.tgpipe/a.session --account ~/.tgpipe/b.session --out ./media

Template variables (see docs/download.md):
${TEMPLATE_VARS.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join("\n")}

Re-running the same command resumes it: finished files are skipped, partial ones continue.
Exit code 3 when some files failed (each reported), 2 for a bad link or unknown chat.`;

/** `tgpipe download <link|chat…>` (alias `dl`): download media of messages and chats. */
export function downloadCommand(io: CliIo, state: CliState): AnyCommand {
  return addMediaFlags(new Command("download").alias("dl"), { transcribeOnly: true })
    .description("Download media from message links (also ranges) or whole chats, resumable")
    .argument("[inputs...]", "message links (t.me/name/123, t.me/c/<id>/100-200) or chats (@name, id)")
    .requiredOption("-o, --out <dir>", "output directory")
    .option("--from-file <file>", "read more inputs from a file, one per line ('-' = stdin)")
    .option("--type <types>", `only these media types, comma-separated (${MEDIA_KINDS.join(",")})`)
    .option("--min-size <size>", "only files at least this big (e.g. 500KB, 10MB)")
    .option("--max-size <size>", "only files at most this big")
    .option("--after <date>", "only messages on or after this date (YYYY-MM-DD or ISO time)")
    .option("--before <date>", "only messages before this date")
    .option("--match <regex>", "only files whose name or caption matches (case-insensitive)")
    .option("--limit <n>", "at most n files per chat")
    .option("--template <tpl>", "output path template", "{chat}/{id}_{filename}")
    .option("--skip-same", "skip files already downloaded to --out (same Telegram file), counted as done")
    .option(
      "--concurrency <n>",
      "files at once (default 8; their parts in flight are capped at 48 per account)",
    )
    .option(
      "--part-concurrency <n>",
      "parts in flight per file (default: 4 below 10 MB, 8 below 64 MB, else 16)",
    )
    .option("--connections <n>", "connections per DC per account or worker", "8")
    .option("--workers <n>", "fetch workers with their own connections (0 = main thread)", "0")
    .addOption(
      new Option(
        "--account <session>",
        "session file or string of another account to share the work (a FLOOD_WAIT pauses only its account; " +
          "its parts move to a free one; repeatable)",
      ).argParser(_collect),
    )
    .addOption(
      new Option(
        "--bot-token <token>",
        "a bot's token to share the work as another account (its session is cached in the data directory; " +
          "repeatable)",
      ).argParser(_collect),
    )
    .option("--stall-timeout <s>", "seconds a part may go without an answer before it is retried", "30")
    .option("--no-verify", "skip the upload.getFileHashes check")
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES + "\n" + MEDIA_FLAGS_HELP)
    .action(makeAction(io, state, async (rt, args, flags) => {
      checkDateRange(_date(flags.after, "--after"), _date(flags.before, "--before"));
      const inputs = [...args, ...await readInputsFile(flags.fromFile)];
      const { download } = await import("../../app/download/download.ts");
      const { accountList, telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const accounts = accountList(telegramAccess(rt.settings), {
        sessions: flags.account,
        botTokens: [...flags.botToken ?? [], ...rt.settings.botTokens ?? []],
      });
      const report = await download({
        inputs,
        out: flags.out,
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        accounts,
        template: flags.template,
        filter: {
          types: flags.type?.split(",").map((t) => t.trim() as MediaKind).filter(Boolean),
          minSize: parseSize(flags.minSize, "--min-size"),
          maxSize: parseSize(flags.maxSize, "--max-size"),
          after: _date(flags.after, "--after"),
          before: _date(flags.before, "--before"),
          match: flags.match,
          limit: _int(flags.limit, "--limit"),
        },
        skipSame: flags.skipSame === true,
        concurrency: _int(flags.concurrency, "--concurrency"),
        partConcurrency: _int(flags.partConcurrency, "--part-concurrency"),
        connections: _int(flags.connections, "--connections"),
        workers: _int(flags.workers, "--workers", 0),
        verify: flags.verify,
        stallMs: _int(flags.stallTimeout, "--stall-timeout")! * 1000,
        media: mediaSettings(flags as MediaFlags, rt),
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("download", report, () => _human(report));
      return report.exit_code;
    }));
}

function _human(r: DownloadReport): string {
  const failed = r.failed > 0 ? `, ${r.failed} failed` : "";
  const skipped = r.skipped > 0 ? ` (${r.skipped} already there)` : "";
  return `${r.done + r.skipped}/${r.items} files${skipped}${failed}, ${formatBytes(r.bytes)} in ${
    (r.elapsed_ms / 1000).toFixed(1)
  }s (job ${r.job})\n`;
}

function _int(v: string | undefined, flag: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got ${v}`);
  return n;
}

function _date(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseDate(v);
  } catch {
    throw new UsageError(`${flag} must be a date like 2024-01-31, got ${v}`);
  }
}

// A repeatable option: each use adds one value (not variadic, which would swallow the chats after it).
function _collect(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], value];
}
