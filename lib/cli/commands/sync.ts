import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { SyncReport } from "../../app/sync/sync.ts";
import { UsageError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format.ts";
import { TEMPLATE_VARS } from "../../core/name_template.ts";
import {
  type AccountFlags,
  addAccountFlags,
  addFilterFlags,
  collect,
  type FilterFlags,
  filterOf,
  intFlag,
  sizeFlag,
} from "../download_flags.ts";
import { maxRuntimeOption, parseDuration } from "../max_runtime.ts";
import { resolveAccountRefs } from "../named_accounts.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe sync @channel gdrive:mirror/channel --max-disk 50GB --temp /mnt/scratch
  tgpipe sync @channel gdrive:mirror --resume --max-runtime 5h30m --json      # a CI run: state from Saved Messages
  tgpipe sync @channel /mnt/nas/channel --type video --after 2024-01-01 --upload-concurrency 4
  tgpipe sync @channel s3:bucket/tg --template "{date:YYYY-MM}/{id}_{filename}" --watch 10m
  tgpipe sync @channel gdrive:x --rclone-arg=--drive-stop-on-upload-limit --rclone-config ./rclone.conf

The target is an rclone remote (name:path, see \`rclone listremotes\`) or a local directory.
Template variables (paths on the remote; see docs/download.md):
${TEMPLATE_VARS.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join("\n")}

Each file is downloaded into --temp, uploaded, verified (size, and a hash where the remote has one)
and deleted locally; --temp never holds more than --max-disk. The state (every file up to message N
is uploaded) is saved every --save-every files or --save-interval and at every stop, in the progress
store and as a message in Saved Messages; --resume reads it on a machine without the store.
Exit 75 when stopped (--max-runtime, Ctrl-C, a remote quota: the message says when to run again),
3 when some files failed, 2 for an unknown chat or a remote rclone does not know. See docs/sync.md.`;

/** `tgpipe sync <chat> <remote:path | dir>`: mirror a chat's files to an rclone remote under a disk budget. */
export function syncCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("sync")
    .description(
      "Mirror a chat's files to an rclone remote or a folder: download, upload, verify, delete, resumable",
    )
    .argument("<chat>", "the chat (@name, t.me link, id)")
    .argument("<target>", "rclone remote (name:path) or local directory");
  return addAccountFlags(addFilterFlags(cmd))
    .option("--template <tpl>", "path of each file on the remote", "{chat}/{id}_{filename}")
    .option("--max-disk <size>", "most bytes --temp may hold at once, .part files included", "50GB")
    .option("--temp <dir>", "where files wait for their upload (default: the cache directory)")
    .option("--concurrency <n>", "files downloading at once", "4")
    .option("--upload-concurrency <n>", "files uploading at once", "3")
    .option("--save-every <n>", "save the state every n uploaded files", "10")
    .addOption(
      new Option("--save-interval <duration>", "and at least this often (e.g. 5m)").argParser(parseDuration)
        .default(300_000, "5m"),
    )
    .addOption(
      new Option("--state <where>", "where the state is saved: kv, telegram or both").argParser(_state)
        .default("both" as const),
    )
    .option("--resume", "read the state from Saved Messages too (a fresh machine without the progress store)")
    .option("--resume-from <id>", "start at this message id (files of older messages are not looked at)")
    .addOption(maxRuntimeOption())
    .addOption(
      new Option("--watch [interval]", "after catching up, look for new messages this often (default 5m)")
        .argParser(_watch),
    )
    .option("--keep-local", "keep the files in --temp after upload (they count against --max-disk)")
    .option("--rclone <path>", "the rclone binary (default: rclone on PATH)")
    .option("--rclone-config <file>", "rclone's config file (default: rclone's own)")
    .addOption(
      new Option(
        "--rclone-arg <flag>",
        "an extra rclone flag for uploads, e.g. --rclone-arg=--bwlimit=8M (repeatable)",
      )
        .argParser(collect),
    )
    .option("--connections <n>", "connections per DC per account", "8")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, chat, target, parsed) => {
      const flags = parsed as typeof parsed & FilterFlags & AccountFlags;
      if (target.trim() === "") throw new UsageError("The target is empty: give name:path or a directory");
      const { sync } = await import("../../app/sync/sync.ts");
      const { accountList, telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const accounts = accountList(telegramAccess(rt.settings), {
        sessions: resolveAccountRefs(flags.account, rt.settings.dataDir),
        botTokens: [...flags.botToken ?? [], ...rt.settings.botTokens ?? []],
      });
      const report = await sync({
        chat,
        target,
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        accounts,
        template: flags.template,
        filter: filterOf(flags),
        maxDisk: sizeFlag(flags.maxDisk, "--max-disk")!,
        temp: flags.temp ?? `${rt.settings.cacheDir}/sync`,
        concurrency: intFlag(flags.concurrency, "--concurrency"),
        uploadConcurrency: intFlag(flags.uploadConcurrency, "--upload-concurrency"),
        saveEvery: intFlag(flags.saveEvery, "--save-every"),
        saveIntervalMs: flags.saveInterval,
        state: flags.state,
        resume: flags.resume === true,
        resumeFrom: intFlag(flags.resumeFrom, "--resume-from"),
        maxRuntimeMs: flags.maxRuntime,
        watchMs: flags.watch === undefined ? undefined : flags.watch === true ? 300_000 : flags.watch,
        keepLocal: flags.keepLocal === true,
        rclone: {
          configured: flags.rclone ?? rt.settings.rclone,
          searchPath: rt.io.env.PATH ?? "",
          cacheDir: rt.settings.cacheDir,
        },
        rcloneConfig: flags.rcloneConfig,
        rcloneArgs: flags.rcloneArg,
        connections: intFlag(flags.connections, "--connections"),
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("sync", report, () => _human(report));
      return report.exit_code;
    }));
}

function _state(v: string): "kv" | "telegram" | "both" {
  if (v === "kv" || v === "telegram" || v === "both") return v;
  throw new InvalidArgumentError("expected kv, telegram or both");
}

function _watch(v: string): number {
  try {
    return parseDuration(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function _human(r: SyncReport): string {
  const failed = r.failed > 0 ? `, ${r.failed} failed` : "";
  const there = r.skipped > 0 ? ` (${r.skipped} already there)` : "";
  return `${r.done + r.skipped}/${r.items} files${there}${failed}, ${formatBytes(r.bytes)} in ${
    (r.elapsed_ms / 1000).toFixed(1)
  }s; everything up to message ${r.state.watermark} is on ${r.state.target} (job ${r.job})\n`;
}
