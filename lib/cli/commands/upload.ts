import { Command, Option } from "@commander-js/extra-typings";
import { CAPTION_VARS } from "../../core/caption_vars.ts";
import { UsageError } from "../../core/errors.ts";
import { collect, intFlag } from "../flag_values.ts";
import { readInputsFile } from "../read_inputs_file.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { resolveAccountRefs } from "../named_accounts.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe upload video.mp4                          # to Saved Messages
  tgpipe upload ./photos --to @mychannel --include "*.jpg" --album
  tgpipe up ./backup --exclude "**/.git/**" --as document --caption "{name} ({size})"
  tgpipe up ./inbox --to @archive --delete-after --report report.json
  find . -name "*.mkv" | tgpipe up --from-file - --to @films --json
  tgpipe up big.iso --account ~/.tgpipe/b.session --part-concurrency 32 --max-runtime 5h
  tgpipe up ./clips --to @mychannel --bot-token 123456:ABC     # a bot that admins the channel
  tgpipe up https://example.com/talk.mp4 --to @talks --caption "from {source}"
  tar c ./project | tgpipe up - --name project.tar
  tgpipe up huge.mkv disk.img --split --to @archive

Caption variables:
${CAPTION_VARS.map(([k, v]) => `  ${k.padEnd(10)} ${v}`).join("\n")}

Files go small first (--sort size; URLs and stdin, of unknown size, last). Re-running the same
command resumes it: files sent are skipped, a file cut off mid-way continues from its first missing
part, and no message is sent twice (stdin cannot be resumed: a rerun reads it again). A URL that
fails (404, unreachable, a length that lies) fails alone; a dropped body resumes by Range. A file
over the limit of every account (2000 MB, 4000 MB with Premium; each account's own limit counts, so
another account may take it) fails alone (too_big), or with --split is
cut: videos at keyframes into pieces that each play (an album), other files into name.001, ...
and a manifest that tgpipe download uses to reassemble them (URLs and stdin are cut as they stream;
one without a known size always goes as pieces).
Exit code 3 when some files failed (see the report's advice), 2 for a missing input or unknown chat.`;

/** `tgpipe upload <file|dir…>` (alias `up`): send files and folders to a chat. */
export function uploadCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("upload").alias("up")
    .description(
      "Upload files and folders to a chat (default Saved Messages): parallel, resumable, with a report",
    )
    .argument("[inputs...]", "files, folders (walked recursively), http(s) URLs, - (stdin, with --name)")
    .option("--to <chat>", "chat to send to: @name, link, id or me", "me")
    .option("--from-file <file>", "read more inputs from a file, one per line ('-' = stdin)")
    .option("--name <name>", "the file name of stdin (-) in Telegram; required with -")
    .addOption(
      new Option("--include <glob>", "in folders, only files matching (repeatable)").argParser(collect),
    )
    .addOption(
      new Option("--exclude <glob>", "in folders, skip files matching (repeatable)").argParser(collect),
    )
    .option("--caption <template>", "caption of each file (variables below)")
    .addOption(
      new Option(
        "--as <how>",
        "auto: photos as photos, videos streamable, audio as audio; media: the same " +
          "but a file that cannot go as media fails; document: every file as a plain document",
      )
        .choices(["auto", "document", "media"] as const).default("auto" as const),
    )
    .option("--album", "group files into albums of up to 10 (photos with videos, audio, documents)")
    .addOption(
      new Option("--sort <order>", "upload order: size (small first), name, none (as given)")
        .choices(["size", "name", "none"] as const).default("size" as const),
    )
    .option("--delete-after", "delete each local file once Telegram confirmed its message")
    .option(
      "--split",
      "a file over every account's limit is split: local videos into playable pieces (an album), others, " +
        "URLs and stdin (cut as they stream) into pieces + a manifest that tgpipe download puts back together",
    )
    .option("--concurrency <n>", "files at once (default 4)")
    .option("--part-concurrency <n>", "parts in flight per file (default 4, 16 above 10 MB)")
    .option("--connections <n>", "connections per account", "8")
    .addOption(
      new Option(
        "--account <session>",
        "another account's session file, string or `login --name` name to share the files (repeatable)",
      )
        .argParser(collect),
    )
    .addOption(
      new Option(
        "--bot-token <token>",
        "a bot's token to share the files (repeatable); a bot has no Saved Messages: give --to",
      ).argParser(collect),
    )
    .option("--stall-timeout <s>", "seconds a part may go without an answer before it is sent again", "30")
    .option("--report <file>", "also write the diagnostics report here (JSON, see docs/upload.md)")
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, args, flags) => {
      const inputs = [...args, ...await readInputsFile(flags.fromFile)];
      const stdin = _stdin(inputs, flags);
      const { upload } = await import("../../app/upload/upload.ts");
      const { describeUploadReport } = await import("../../app/upload/upload_report.ts");
      const { accountList, telegramAccess } = await import("../../app/shared/telegram_access.ts");
      if (inputs.length === 0) {
        throw new UsageError("Nothing to upload: give files or folders (or --from-file)");
      }
      const s = rt.settings;
      const report = await upload({
        inputs,
        to: flags.to,
        kv: s.kv,
        createKvParent: rt.sources.kv === "default",
        accounts: accountList(telegramAccess(s), {
          sessions: resolveAccountRefs(flags.account, rt.settings.dataDir),
          botTokens: [...flags.botToken ?? [], ...s.botTokens ?? []],
        }),
        include: flags.include,
        exclude: flags.exclude,
        sort: flags.sort,
        stdin,
        name: flags.name,
        caption: flags.caption,
        as: flags.as,
        album: flags.album === true,
        deleteAfter: flags.deleteAfter === true,
        split: flags.split === true,
        concurrency: intFlag(flags.concurrency, "--concurrency"),
        partConcurrency: intFlag(flags.partConcurrency, "--part-concurrency"),
        connections: intFlag(flags.connections, "--connections"),
        stallMs: intFlag(flags.stallTimeout, "--stall-timeout")! * 1000,
        maxRuntimeMs: flags.maxRuntime,
        reportFile: flags.report,
        tools: {
          ffmpeg: s.ffmpeg,
          ffprobe: s.ffprobe,
          searchPath: rt.io.env.PATH ?? "",
          cacheDir: s.cacheDir,
        },
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("upload", report, () => describeUploadReport(report));
      return report.exit_code;
    }));
}

// stdin is read only when `-` is an input: one stream, so not both as input and as --from-file
function _stdin(inputs: string[], flags: { name?: string; fromFile?: string }) {
  if (!inputs.includes("-")) {
    if (flags.name !== undefined) throw new UsageError("--name names stdin: give - as an input");
    return undefined;
  }
  if (flags.fromFile === "-") {
    throw new UsageError("Standard input cannot be both an input (-) and --from-file -");
  }
  return Deno.stdin.readable;
}
