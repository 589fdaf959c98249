import { Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../../core/errors.ts";
import { DOWNLOAD_STATUSES, type DownloadStatus } from "../../core/bot_records.ts";
import { argParser, collect, intFlag } from "../flag_values.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction, type Runtime } from "../runtime.ts";
import { renderBotHistory, renderBotSettings, renderBotUsers, renderBroadcasts } from "./bot_render.ts";
import { parseSize } from "../parse_size.ts";
import { parseRatePerMinute } from "../parse_rate.ts";
import { parseDate } from "../parse_date.ts";

const EXAMPLES = `
Examples:
  tgpipe bot --admin 123456789 --admin-listen 127.0.0.1:8081     # token in TGPIPE_BOT_TOKEN
  tgpipe bot --rate-limit 5/min --max-file-size 50MB --music-library ~/Music
  tgpipe bot users alice
  tgpipe bot history --status failed --limit 20
  tgpipe bot ban 123456789
  tgpipe bot settings --rate-limit 5/min --max-file-size 50MB
  tgpipe bot broadcast "We are back"
  tgpipe --json bot users --banned | jq '.data[].id'

Without a subcommand it runs the bot until Ctrl-C or --max-runtime (exit 75). It needs yt-dlp (and
ffmpeg for merging and audio), fpcalc with --music-library. The token is a secret: prefer
TGPIPE_BOT_TOKEN (or bot_token in the config) over the flag, which other users can see in ps.
The data lives in the progress store (--kv); docs/bot.md describes it. An unknown user id: exit 2.`;

/** `tgpipe bot …`: the media-downloader bot's admin commands (users, history, bans, settings, broadcasts). */
export function botCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("bot").description(
    "Run the media-downloader bot, or manage it: users, history, bans, settings, broadcasts",
  )
    .addHelpText("after", EXAMPLES);
  // `tgpipe bot --bot-token …` runs it: `run` is the default subcommand, so its flags never
  // collide with the admin subcommands' (settings --rate-limit)
  cmd.addCommand(_run(io, state), { isDefault: true });
  cmd.addCommand(_users(io, state));
  cmd.addCommand(_history(io, state));
  for (const [name, change, what] of _FLAG_COMMANDS) cmd.addCommand(_flag(io, state, name, change, what));
  cmd.addCommand(_settings(io, state));
  cmd.addCommand(_broadcast(io, state));
  return cmd;
}

// `tgpipe bot [run]`: the bot runs until stopped
function _run(io: CliIo, state: CliState): AnyCommand {
  return new Command("run").description(
    "Run the bot until Ctrl-C or --max-runtime (the default: `tgpipe bot`)",
  )
    .addHelpText(
      "after",
      _examples(
        "tgpipe bot --admin 123456789 --admin-listen 127.0.0.1:8081     # token in TGPIPE_BOT_TOKEN",
        "tgpipe bot --rate-limit 5/min --max-file-size 50MB --music-library ~/Music --concurrency 2",
      ),
    )
    .option("--bot-token <token>", "the bot's token from @BotFather (or TGPIPE_BOT_TOKEN / bot_token)")
    .option("--admin <id>", "a Telegram user id allowed /stats and /admin (repeatable)", collect)
    .option(
      "--admin-listen <host:port>",
      "serve the admin page here (log in with /admin), e.g. 127.0.0.1:8081",
    )
    .option("--max-file-size <size>", "largest file sent, e.g. 50MB (stored as the setting)")
    .option("--rate-limit <rate>", "links a minute per user, e.g. 5/min (stored as the setting)")
    .option("--music-library <dir>", "recognise voice notes and audio against the music in this folder")
    .option("--fpcalc <path>", "chromaprint's fpcalc (default: PATH)")
    .option("--yt-dlp <path>", "yt-dlp binary (default: PATH; also TGPIPE_YT_DLP)")
    .option("--concurrency <n>", "downloads at once (default 2)")
    .addOption(maxRuntimeOption())
    .action(makeAction(io, state, async (rt, flags) => {
      const token = flags.botToken ?? rt.settings.botToken;
      if (!token) {
        throw new UsageError(
          "The bot needs its token: --bot-token or TGPIPE_BOT_TOKEN (from @BotFather)",
        );
      }
      for (const id of flags.admin ?? []) {
        if (!/^\d+$/.test(id)) throw new UsageError(`--admin takes a Telegram user id (a number), got ${id}`);
      }
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const { runBot } = await import("../../app/bot/run_bot.ts");
      const report = await runBot({
        account: { ...telegramAccess(rt.settings), botToken: token },
        ..._store(rt),
        admins: flags.admin,
        adminListen: flags.adminListen,
        maxFileSize: flags.maxFileSize === undefined
          ? undefined
          : parseSize(flags.maxFileSize, "--max-file-size"),
        rateLimit: flags.rateLimit === undefined
          ? undefined
          : parseRatePerMinute(flags.rateLimit, "--rate-limit"),
        musicLibrary: flags.musicLibrary,
        fpcalc: flags.fpcalc,
        ytDlp: flags.ytDlp ?? rt.settings.ytDlp,
        ffmpeg: rt.settings.ffmpeg,
        ffprobe: rt.settings.ffprobe,
        searchPath: rt.io.env.PATH ?? "",
        cacheDir: rt.settings.cacheDir,
        concurrency: intFlag(flags.concurrency, "--concurrency"),
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      return report.exit_code;
    }));
}

const _FLAG_COMMANDS: ReadonlyArray<
  [string, (off: boolean) => { banned: boolean } | { premium: boolean }, string]
> = [
  ["ban", () => ({ banned: true }), "Ban a user: one reply telling them, then the bot ignores them"],
  ["unban", () => ({ banned: false }), "Lift a ban"],
  [
    "premium",
    (off) => ({ premium: !off }),
    "Give a user premium (larger file and rate limits), or take it (--off)",
  ],
];

function _examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}`;
}

function _store(rt: Runtime) {
  return { kv: rt.settings.kv, createKvParent: rt.sources.kv === "default", signal: rt.signal };
}

function _users(io: CliIo, state: CliState): AnyCommand {
  return new Command("users").description("List the bot's users, or find them by id or username prefix")
    .addHelpText(
      "after",
      _examples("tgpipe bot users", "tgpipe bot users @ali", "tgpipe bot users --banned --limit 20"),
    )
    .argument("[search]", "a user id, or the start of a username (@ optional)")
    .option("--banned", "only banned users")
    .option("--premium", "only premium users")
    .option("--limit <n>", "at most this many (default 100)")
    .action(makeAction(io, state, async (rt, search, flags) => {
      const { listBotUsers } = await import("../../app/bot/admin_queries.ts");
      const users = await listBotUsers({
        ..._store(rt),
        search,
        banned: flags.banned ? true : undefined,
        premium: flags.premium ? true : undefined,
        limit: intFlag(flags.limit, "--limit"),
      });
      rt.result("bot_users", users, () => renderBotUsers(users));
    }));
}

function _history(io: CliIo, state: CliState): AnyCommand {
  return new Command("history").description("The bot's download history, newest first")
    .addHelpText(
      "after",
      _examples(
        "tgpipe bot history --status failed",
        "tgpipe bot history --user 123456789 --platform youtube",
        "tgpipe bot history --since 2026-01-01 --until 2026-02-01",
      ),
    )
    .option("--user <id>", "only this user's downloads")
    .addOption(new Option("--status <status>", "only downloads in this state").choices(DOWNLOAD_STATUSES))
    .option("--platform <name>", "only this platform (youtube, tiktok, ...)")
    .option("--since <date>", "only downloads on or after this date (YYYY-MM-DD or ISO time)", parseDate)
    .option("--until <date>", "only downloads before this date (YYYY-MM-DD or ISO time)", parseDate)
    .option("--limit <n>", "at most this many (default 100)")
    .action(makeAction(io, state, async (rt, flags) => {
      const { listBotHistory } = await import("../../app/bot/admin_queries.ts");
      const list = await listBotHistory({
        ..._store(rt),
        user_id: flags.user,
        status: flags.status as DownloadStatus | undefined,
        platform: flags.platform?.toLowerCase(),
        since: flags.since !== undefined ? flags.since * 1000 : undefined,
        until: flags.until !== undefined ? flags.until * 1000 : undefined,
        limit: intFlag(flags.limit, "--limit"),
      });
      rt.result("bot_history", list, () => renderBotHistory(list));
    }));
}

function _flag(
  io: CliIo,
  state: CliState,
  name: string,
  change: (off: boolean) => { banned: boolean } | { premium: boolean },
  what: string,
): AnyCommand {
  const cmd = new Command(name).description(what)
    .argument("<user>", "the user's Telegram id (see `tgpipe bot users`)")
    .addHelpText("after", _examples(`tgpipe bot ${name} 123456789`, `tgpipe --json bot ${name} 123456789`));
  if (name === "premium") cmd.option("--off", "take premium away");
  return cmd.action(makeAction(io, state, async (rt, user, flags: { off?: boolean }) => {
    if (!/^\d+$/.test(user)) throw new UsageError(`A user id is a number, got ${user}`);
    const { changeBotUser } = await import("../../app/bot/admin_changes.ts");
    const u = await changeBotUser({ ..._store(rt), user, change: change(flags.off === true) });
    const who = u.username ? `${u.id} (@${u.username})` : u.id;
    rt.result(
      `bot_${name}`,
      u,
      () => `${who}: ${u.banned ? "banned" : "not banned"}, ${u.premium ? "premium" : "not premium"}\n`,
    );
  }));
}

function _settings(io: CliIo, state: CliState): AnyCommand {
  return new Command("settings").description("Show the bot's settings, or change them")
    .addHelpText(
      "after",
      _examples(
        "tgpipe bot settings",
        "tgpipe bot settings --rate-limit 5/min --max-file-size 50MB",
        'tgpipe bot settings --maintenance "Back at 18:00"',
        "tgpipe bot settings --no-maintenance --enabled",
      ),
    )
    .option(
      "--rate-limit <rate>",
      "requests a minute per user, e.g. 5/min",
      argParser((v) => parseRatePerMinute(v, "--rate-limit")),
    )
    .option(
      "--premium-rate-limit <rate>",
      "requests a minute per premium user",
      argParser((v) => parseRatePerMinute(v, "--premium-rate-limit")),
    )
    .option(
      "--max-file-size <size>",
      "largest file sent, e.g. 50MB",
      argParser((v) => parseSize(v, "--max-file-size")!),
    )
    .option(
      "--premium-max-file-size <size>",
      "largest file sent to premium users",
      argParser((v) => parseSize(v, "--premium-max-file-size")!),
    )
    .option("--maintenance <text>", "answer every request with this text (maintenance mode)")
    .option("--no-maintenance", "end maintenance mode")
    .option("--enabled", "turn the bot on")
    .option("--disabled", "turn the bot off (it answers that it is off)")
    .action(makeAction(io, state, async (rt, flags) => {
      if (flags.enabled && flags.disabled) {
        throw new UsageError("--enabled and --disabled cannot be used together");
      }
      const { botSettings } = await import("../../app/bot/admin_changes.ts");
      const settings = await botSettings({
        ..._store(rt),
        patch: {
          rate_limit_per_minute: flags.rateLimit,
          premium_rate_limit_per_minute: flags.premiumRateLimit,
          max_file_size: flags.maxFileSize,
          premium_max_file_size: flags.premiumMaxFileSize,
          maintenance_message: flags.maintenance === false ? null : flags.maintenance,
          enabled: flags.enabled ? true : flags.disabled ? false : undefined,
        },
      });
      rt.result("bot_settings", settings, () => renderBotSettings(settings));
    }));
}

function _broadcast(io: CliIo, state: CliState): AnyCommand {
  return new Command("broadcast")
    .description("Queue a message to every non-banned user (the running bot sends it), or list broadcasts")
    .addHelpText(
      "after",
      _examples(
        'tgpipe bot broadcast "We are back"',
        'tgpipe bot broadcast "New feature" --media promo.mp4',
        "tgpipe bot broadcast",
        "tgpipe bot broadcast --cancel 1796471504744-e04261fdc5",
      ),
    )
    .argument("[text]", "the message, or the caption of --media")
    .option("--media <file>", "send this file (photo, video, audio or document)")
    .option("--cancel <id>", "cancel a queued or running broadcast")
    .action(makeAction(io, state, async (rt, text, flags) => {
      if (flags.cancel !== undefined) {
        if (text !== undefined || flags.media !== undefined) {
          throw new UsageError("--cancel takes no text or --media");
        }
        const { cancelBroadcast } = await import("../../app/bot/admin_changes.ts");
        const b = await cancelBroadcast({ ..._store(rt), id: flags.cancel });
        return rt.result("bot_broadcast_cancel", b, () => `Cancelled broadcast ${b.id}\n`);
      }
      if (text === undefined && flags.media === undefined) {
        const { listBroadcasts } = await import("../../app/bot/admin_queries.ts");
        const list = await listBroadcasts(_store(rt));
        return rt.result("bot_broadcasts", list, () => renderBroadcasts(list));
      }
      const { queueBroadcast } = await import("../../app/bot/admin_changes.ts");
      const b = await queueBroadcast({ ..._store(rt), text, media: flags.media, by: "cli" });
      rt.result("bot_broadcast", b, () => `Queued broadcast ${b.id}; the running bot sends it\n`);
    }));
}
