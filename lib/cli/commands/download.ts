import { Command } from "@commander-js/extra-typings";
import type { DownloadReport } from "../../app/download/download.ts";
import { formatBytes } from "../../core/format.ts";
import { UsageError } from "../../core/errors.ts";
import { DEFAULT_TEMPLATE, TEMPLATE_VARS } from "../../core/name_template.ts";
import { addMediaFlags, MEDIA_FLAGS_HELP, type MediaFlags, mediaSettings } from "../media_flags.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { resolveAccountRefs } from "../named_accounts.ts";
import { readInputsText } from "../read_inputs_file.ts";
import {
  type AccountFlags,
  addAccountFlags,
  addFilterFlags,
  type FilterFlags,
  filterOf,
  intFlag,
} from "../download_flags.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe download https://t.me/durov/123 --out ./media
  tgpipe dl https://t.me/c/1234567/100-200 --out ./media
  tgpipe dl @channel --type video,photo --min-size 1MB --after 2024-01-01 --limit 50 --out ./media
  tgpipe dl @channel --template "{chat}/{date:YYYY-MM}/{id}_{filename}" --skip-same --out ./media
  cat links.txt | tgpipe dl --from-file - --out ./media --json
  tgpipe dl --from-file vault/chats/1712691810/messages.jsonl --include mp4,jpg --desc --out ./media
  tgpipe dl --from-file tdl-export.json --exclude webp,tgs --out ./media
  tgpipe dl @channel --type voice,round --out ./media --transcribe --whisper-model ~/models/ggml-base.bin
  tgpipe dl @channel --account ~/.tgpipe/a.session --account ~/.tgpipe/b.session --out ./media

Template variables (see docs/download.md):
${TEMPLATE_VARS.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join("\n")}

Re-running the same command resumes it: finished files are skipped, partial ones continue.
Exit code 3 when some files failed (each reported), 2 for a bad link or unknown chat.`;

/** `tgpipe download <link|chat…>` (alias `dl`): download media of messages and chats. */
export function downloadCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = addMediaFlags(new Command("download").alias("dl"), { transcribeOnly: true })
    .description("Download media from message links (also ranges) or whole chats, resumable")
    .argument("[inputs...]", "message links (t.me/name/123, t.me/c/<id>/100-200) or chats (@name, id)")
    .requiredOption("-o, --out <dir>", "output directory")
    .option(
      "--from-file <file>",
      "more inputs from a file ('-' = stdin): links or chats one per line, an export's messages.jsonl, " +
        "or tdl's export JSON",
    )
    .option("--include <exts>", "only files with these extensions, comma-separated (mp4,jpg)")
    .option("--exclude <exts>", "never files with these extensions, comma-separated")
    .option("--desc", "newest files first (default: in the order given)");
  return addAccountFlags(addFilterFlags(cmd))
    .option("--template <tpl>", "output path template", DEFAULT_TEMPLATE)
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
    .option("--stall-timeout <s>", "seconds a part may go without an answer before it is retried", "30")
    .option("--no-verify", "skip the upload.getFileHashes check")
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES + "\n" + MEDIA_FLAGS_HELP)
    .action(makeAction(io, state, async (rt, args, parsed) => {
      const flags = parsed as typeof parsed & FilterFlags & AccountFlags;
      const filter = { ...filterOf(flags), include: _exts(flags.include), exclude: _exts(flags.exclude) };
      const { download } = await import("../../app/download/download.ts");
      const { parseFromFile } = await import("../../app/download/from_file.ts");
      const file = flags.fromFile === undefined
        ? undefined
        : parseFromFile(await readInputsText(flags.fromFile), flags.fromFile);
      const inputs = file?.format === "lines" ? [...args, ...file.inputs] : args;
      const fromFile = file && file.format !== "lines"
        ? { name: flags.fromFile!, messages: file.messages }
        : undefined;
      const { accountList, telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const accounts = accountList(telegramAccess(rt.settings), {
        sessions: resolveAccountRefs(flags.account, rt.settings.dataDir),
        botTokens: [...flags.botToken ?? [], ...rt.settings.botTokens ?? []],
      });
      const report = await download({
        inputs,
        fromFile,
        desc: flags.desc === true,
        out: flags.out,
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        accounts,
        template: flags.template,
        filter,
        skipSame: flags.skipSame === true,
        concurrency: intFlag(flags.concurrency, "--concurrency"),
        partConcurrency: intFlag(flags.partConcurrency, "--part-concurrency"),
        connections: intFlag(flags.connections, "--connections"),
        workers: intFlag(flags.workers, "--workers", 0),
        verify: flags.verify,
        stallMs: intFlag(flags.stallTimeout, "--stall-timeout")! * 1000,
        media: mediaSettings(flags as MediaFlags, rt),
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("download", report, () => _human(report));
      return report.exit_code;
    }));
}

/** `--include mp4,.JPG` -> ["mp4", "jpg"]; undefined when not given. */
function _exts(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const exts = v.split(",").map((e) => e.trim().replace(/^\./, "").toLowerCase()).filter(Boolean);
  if (exts.length === 0) throw new UsageError(`--include/--exclude need extensions like mp4,jpg, got "${v}"`);
  return exts;
}

function _human(r: DownloadReport): string {
  const failed = r.failed > 0 ? `, ${r.failed} failed` : "";
  const skipped = r.skipped > 0 ? ` (${r.skipped} already there)` : "";
  return `${r.done + r.skipped}/${r.items} files${skipped}${failed}, ${formatBytes(r.bytes)} in ${
    (r.elapsed_ms / 1000).toFixed(1)
  }s (job ${r.job})\n`;
}
