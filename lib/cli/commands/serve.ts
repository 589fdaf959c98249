import { Command, Option } from "@commander-js/extra-typings";
import type { ServeReport } from "../../app/serve/serve.ts";
import type { TelegramAccess } from "../../app/shared/telegram_access.ts";
import { UsageError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format.ts";
import { parseDuration } from "../max_runtime.ts";
import { resolveAccountRefs } from "../named_accounts.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe serve @channel --bot-token "$BOT1" --bot-token "$BOT2"
  tgpipe serve link https://t.me/channel/123 --expires 24h
  tgpipe serve @channel --index --public                # on 127.0.0.1 only, no signatures
  tgpipe serve @channel --listen 0.0.0.0:8080 --max-streams 32 --json
  mpv "$(tgpipe serve link https://t.me/channel/123)"

Routes: GET|HEAD /f/<chat>/<message>/<name>?exp=&sig= (file, Range), /t/... (thumbnail),
/m/... (JSON metadata), /healthz, and with --index /i/<chat> (HTML players) and /i/<chat>.m3u.
<chat> is a username or a channel's id (as in t.me/c/<id>). Links are signed with the secret
in the data directory (made once, mode 0600) unless --secret or --public; see docs/serve.md.
The server runs until Ctrl-C, then ends the streams in flight and exits 0.`;

const LINK_EXAMPLES = `
Examples:
  tgpipe serve link https://t.me/channel/123
  tgpipe serve link https://t.me/c/1234567/89 --expires 7d --base https://media.example.org
  mpv "$(tgpipe serve link https://t.me/channel/123)"

The link is signed offline with the secret tgpipe serve uses (the data directory's, unless --secret);
it covers the message's file, thumbnail (/t/) and metadata (/m/) until it expires.`;

/** `tgpipe serve [chats…]` and `tgpipe serve link <message link>`. */
export function serveCommand(io: CliIo, state: CliState): AnyCommand {
  const cmd = new Command("serve")
    .description("Stream files of Telegram chats over HTTP (Range, signed links, a pool of bot tokens)")
    .argument("[chats...]", "chats to serve (@name or channel id); none = any chat the accounts can read")
    .option("--listen <host:port>", "address to listen on", "127.0.0.1:8080")
    .addOption(
      new Option("--bot-token <token>", "a bot to stream with (repeatable; the session is cached 0600)")
        .argParser(_collect),
    )
    .addOption(
      new Option(
        "--account <session>",
        "another user session (file, string or `login --name` name) to stream with (repeatable)",
      ).argParser(
        _collect,
      ),
    )
    .option(
      "--secret <secret>",
      "link signing secret (at least 16 bytes); default: generated once, kept 0600",
    )
    .option("--public", "serve without signatures (refused on a non-loopback --listen without --force)")
    .option("--force", "allow --public on a non-loopback address")
    .option("--cache <kv|dir>", "where metadata is cached: kv (the progress store) or a directory", "kv")
    .option("--cache-ttl <duration>", "how long metadata is cached", "24h")
    .option("--max-streams <n>", "streams at once in total (503 + Retry-After beyond)", "64")
    .option("--max-streams-per-client <n>", "streams at once per client address", "16")
    .option("--read-ahead <n>", "parts (up to 1 MB) each stream fetches ahead", "8")
    .option("--connections <n>", "connections per DC per account", "8")
    .option("--index", "serve /i/<chat>: an HTML index with players, and an M3U playlist")
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, chats, flags) => {
      const { hostname, port } = _listen(flags.listen);
      const { serve } = await import("../../app/serve/serve.ts");
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      const report = await serve({
        chats: chats.map((c) => c.replace(/^@/, "").replace(/^https?:\/\/t\.me\/(c\/)?/i, "")),
        hostname,
        port,
        accounts: await _accounts(
          telegramAccess(rt.settings),
          resolveAccountRefs(flags.account, rt.settings.dataDir),
          [
            ...flags.botToken ?? [],
            ...rt.settings.botTokens ?? [],
          ],
        ),
        kv: flags.cache === "kv" ? rt.settings.kv : `${flags.cache}/serve_cache.kv`,
        createKvParent: flags.cache !== "kv" || rt.sources.kv === "default",
        dataDir: rt.settings.dataDir,
        secret: flags.secret,
        public: flags.public === true,
        force: flags.force === true,
        maxStreams: _int(flags.maxStreams, "--max-streams"),
        maxStreamsPerClient: _int(flags.maxStreamsPerClient, "--max-streams-per-client"),
        readAhead: _int(flags.readAhead, "--read-ahead"),
        connections: _int(flags.connections, "--connections"),
        index: flags.index === true,
        cacheTtlMs: _duration(flags.cacheTtl, "--cache-ttl"),
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("serve", report, () => _human(report));
      return 0;
    }));
  cmd.addCommand(_linkCommand(io, state));
  return cmd;
}

function _linkCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("link")
    .description("Print a signed URL of one message's file")
    .argument("<message-link>", "t.me/<chat>/<id> or t.me/c/<id>/<id>")
    .option("--expires <duration>", "how long the link is valid", "24h")
    .option("--base <url>", "the server's public base URL", "http://127.0.0.1:8080")
    .option("--secret <secret>", "the secret the server uses (default: the stored one)")
    .addHelpText("after", LINK_EXAMPLES)
    .action(makeAction(io, state, async (rt, link, flags) => {
      let base: URL;
      try {
        base = new URL(flags.base);
      } catch {
        throw new UsageError(`--base must be a URL like https://media.example.org, got ${flags.base}`);
      }
      const { serveLink } = await import("../../app/serve/serve_link.ts");
      const out = await serveLink({
        link,
        base: base.href,
        expiresS: _duration(flags.expires, "--expires") / 1000,
        secret: flags.secret,
        dataDir: rt.settings.dataDir,
      });
      rt.result("serve_link", out, () => `${out.url}\n`);
    }));
}

// bots alone need no user session: the session's account joins only when it exists
async function _accounts(primary: TelegramAccess, sessions?: string[], bots: string[] = []) {
  const { accountList } = await import("../../app/shared/telegram_access.ts");
  const list = accountList(primary, { sessions, botTokens: bots });
  if (bots.length === 0 || (sessions ?? []).length > 0 || primary.sessionString) return list;
  const hasFile = await Deno.stat(primary.sessionFile).then(() => true, () => false);
  return hasFile ? list : list.slice(1);
}

function _listen(v: string): { hostname: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]+)):(\d{1,5})$/.exec(v.trim());
  if (!m) throw new UsageError(`--listen must look like 127.0.0.1:8080 or [::1]:8080, got ${v}`);
  return { hostname: m[1] ?? m[2], port: Number(m[3]) };
}

function _int(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be an integer >= 1, got ${v}`);
  return n;
}

function _duration(v: string, flag: string): number {
  try {
    return parseDuration(v);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message}`);
  }
}

function _human(r: ServeReport): string {
  return `served ${r.requests} requests (${r.errors} failed), ${formatBytes(r.bytes)} in ${
    (r.elapsed_ms / 1000).toFixed(0)
  }s\n`;
}

function _collect(v: string, prev?: string[]): string[] {
  return [...(prev ?? []), v];
}
