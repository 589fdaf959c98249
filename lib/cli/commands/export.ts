import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { ExportReport } from "../../app/export/export_chats.ts";
import { MEDIA_KINDS } from "../../core/message.ts";
import { parseChatTypes } from "../../core/chat_filter.ts";
import { argParser } from "../flag_values.ts";
import { addMediaFlags, MEDIA_FLAGS_HELP, type MediaFlags, mediaSettings } from "../media_flags.ts";
import { parseMediaKinds } from "../parse_media_kinds.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { resolveAccountRefs } from "../named_accounts.ts";
import { checkDateRange, parseDate } from "../parse_date.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe export @durov --out vault
  tgpipe export https://t.me/c/1234567/42 --out vault --layout day      # one forum topic
  tgpipe export https://t.me/durov/100-120 --out vault                  # those messages only
  tgpipe export @channel --out vault --media photo --max-runtime 5h30m  # exit 75 when time is up
  tgpipe export me @channel -1001234567 --out vault --media photo,voice --max-media-size 20MB
  tgpipe export @channel --out vault --after 2024-01-01 --before 2024-07-01 --comments
  tgpipe export @channel --out vault --takeout --shards 8
  tgpipe export --all --out vault --media none --exclude @noisy_group   # like Desktop's full export
  tgpipe export --type personal,bot --out vault                         # every private chat
  tgpipe --json export @channel --out vault --media none | jq 'select(.type=="result").data'
  tgpipe export @channel --out vault --transcribe --whisper-model ~/models/ggml-base.bin --dedup
  tgpipe export @channel --out vault --media video,photo --transcode h264 --max-height 720 --thumbnails

Runs resume: after Ctrl-C, a crash or kill -9, the same command continues where it stopped;
a later run fetches only new messages (--refresh re-renders edited ones). Output format:
docs/export-format.md.`;

/** `tgpipe export <chat…> --out DIR`: sharded, resumable export to Markdown, JSON lines and media. */
export function exportCommand(io: CliIo, state: CliState): AnyCommand {
  return addMediaFlags(new Command("export"))
    .description("Export chats to Markdown notes, messages.jsonl and media (sharded, resumable)")
    .argument(
      "[chat...]",
      "@username, t.me link, a message link or range (t.me/name/100-120), t.me/c/<id>/<topic>, numeric id, or me",
    )
    .requiredOption("--out <dir>", "output folder (an Obsidian vault works)")
    .addOption(
      new Option("--layout <layout>", "one note per message (albums grouped) or per day")
        .choices(["message", "day"] as const).default("message" as const),
    )
    .addOption(
      new Option("--media <kinds>", `media to download: all, none, or a list of ${MEDIA_KINDS.join(",")}`)
        .argParser(parseMediaKinds).default(new Set(MEDIA_KINDS), "all"),
    )
    .addOption(
      new Option("--max-media-size <size>", "skip media larger than this (e.g. 50MB)").argParser(_size),
    )
    .addOption(
      new Option("--after <date>", "only messages at or after this date (YYYY-MM-DD or ISO)").argParser(
        parseDate,
      ),
    )
    .addOption(new Option("--before <date>", "only messages before this date").argParser(parseDate))
    .addOption(new Option("--min-id <id>", "only messages with id >= this").argParser(_positive))
    .addOption(new Option("--max-id <id>", "only messages with id <= this").argParser(_positive))
    .addOption(new Option("--limit <n>", "only the newest n messages of each chat").argParser(_positive))
    .addOption(new Option("--all", "every chat of the account (with --type: of those types)"))
    .addOption(
      new Option(
        "--type <types>",
        "every chat of these types: personal, bot, group, channel (comma-separated)",
      )
        .argParser(argParser(parseChatTypes)),
    )
    .addOption(
      new Option("--exclude <chat>", "leave this chat out (id, @username, link, me; repeatable)").argParser(
        _collect,
      ),
    )
    .addOption(new Option("--comments", "also export the comments of channel posts"))
    .addOption(
      new Option("--topics", "list every topic of a forum in its index (default: the topics exported)"),
    )
    .addOption(new Option("--takeout", "run as a Telegram takeout session (approve it in another app)"))
    .addOption(
      new Option("--shards <n>", "concurrent shards, each its own connection (default: automatic)").argParser(
        _positive,
      ),
    )
    .addOption(new Option("--refresh", "fetch everything again and rewrite notes whose messages changed"))
    .addOption(
      new Option(
        "--concurrency <n>",
        "media files at once (default 16; parts in flight capped at 48 per account)",
      )
        .argParser(_positive),
    )
    .addOption(
      new Option(
        "--part-concurrency <n>",
        "parts in flight per media file (default: 4 below 10 MB, 8 below 64 MB)",
      )
        .argParser(_positive),
    )
    .addOption(
      new Option("--connections <n>", "media connections per DC per account").argParser(_positive).default(8),
    )
    .addOption(
      new Option(
        "--account <session>",
        "session file, string or `login --name` name of another account to share the media downloads (a FLOOD_WAIT pauses only " +
          "its account; repeatable)",
      ).argParser(_collect),
    )
    .addOption(
      new Option(
        "--bot-token <token>",
        "a bot's token to share the media downloads as another account (repeatable)",
      )
        .argParser(_collect),
    )
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES + "\n" + MEDIA_FLAGS_HELP)
    .action(makeAction(io, state, async (rt, chats, flags) => {
      checkDateRange(flags.after, flags.before);
      const { exportChats } = await import("../../app/export/export_chats.ts");
      const { accountList, telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const access = telegramAccess(rt.settings);
      const report = await exportChats(chats, {
        out: flags.out,
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        access,
        accounts: accountList(access, {
          sessions: resolveAccountRefs(flags.account, rt.settings.dataDir),
          botTokens: [...flags.botToken ?? [], ...rt.settings.botTokens ?? []],
        }),
        concurrency: flags.concurrency,
        partConcurrency: flags.partConcurrency,
        connections: flags.connections,
        layout: flags.layout,
        mediaKinds: flags.media,
        maxMediaSize: flags.maxMediaSize,
        after: flags.after,
        before: flags.before,
        minId: flags.minId,
        maxId: flags.maxId,
        limit: flags.limit,
        comments: flags.comments ?? false,
        topics: flags.topics ?? false,
        takeout: flags.takeout ?? false,
        shards: flags.shards,
        refresh: flags.refresh ?? false,
        media: mediaSettings(flags as MediaFlags, rt),
        maxRuntimeMs: flags.maxRuntime,
        all: flags.all || flags.type ? { kinds: flags.type } : undefined,
        exclude: flags.exclude,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("export", report, () => _human(report));
      return report.exit_code;
    }));
}

function _human(r: ExportReport): string {
  const rows = r.chats.map((c) =>
    `  ${c.title}: ${c.messages} messages (${c.fetched} new), ${c.notes_written} notes written, ${c.media_files} media`
  );
  const failed = r.failed + r.media_failed > 0
    ? `, ${r.failed} chats and ${r.media_failed} media failed`
    : "";
  const chats = `${r.chats.length} ${r.chats.length === 1 ? "chat" : "chats"}`;
  return `Exported ${chats} into ${r.out} in ${(r.elapsed_ms / 1000).toFixed(1)} s${failed}\n${
    rows.join("\n")
  }\n`;
}

function _positive(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected a positive whole number");
  }
  return n;
}

function _size(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError("expected a size like 500KB, 20MB or 2GB");
  const unit = (m[2] ?? "b").toLowerCase()[0];
  const mul = { b: 1, k: 1024, m: 1 << 20, g: 1 << 30 }[unit as "b" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * mul);
}

// A repeatable option: each use adds one value (not variadic, which would swallow the chats after it).

function _collect(value: string, previous: string[] | undefined): string[] {
  return [...previous ?? [], value];
}
