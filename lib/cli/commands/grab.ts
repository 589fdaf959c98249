import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { GrabReport } from "../../app/grab/grab.ts";
import { AUDIO_FORMATS, type AudioFormat, PLATFORM_NAMES } from "../../core/grab_names.ts";
import { UsageError } from "../../core/errors.ts";
import { formatBytes } from "../../core/format.ts";
import { addMediaFlags, MEDIA_FLAGS_HELP, type MediaFlags, mediaSettings } from "../media_flags.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { parseSize } from "../parse_size.ts";
import { readInputsFile } from "../read_inputs_file.ts";
import { renderGrabInfo } from "../render_grab_info.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction, type Runtime } from "../runtime.ts";

const EXAMPLES = `
Examples:
  tgpipe grab https://youtu.be/dQw4w9WgXcQ --info
  tgpipe grab https://youtu.be/dQw4w9WgXcQ --quality 720p --out ./videos
  tgpipe grab https://www.tiktok.com/@user/video/7301234567890123456 https://vm.tiktok.com/ZMeAbCdEf/
  tgpipe grab https://www.instagram.com/reel/C3xYz12AbCd/ --cookies ~/cookies.txt --out ./reels
  tgpipe grab https://youtu.be/dQw4w9WgXcQ --audio mp3 --out ./music
  tgpipe grab https://www.tiktok.com/@user/video/7301234567890123456 --to @mychannel
  tgpipe grab --from-file links.txt --to me --delete-after
  tgpipe grab https://example.com/page-with-video --quality 137 --max-size 500MB
  tgpipe grab --from-file links.txt --out ./videos --template "%(uploader)s/%(title)s.%(ext)s" --json
  tgpipe grab https://youtu.be/dQw4w9WgXcQ --out ./videos --transcribe --whisper-model ~/models/ggml-base.bin

Platforms: ${PLATFORM_NAMES.join(", ")} (any page yt-dlp can read). See docs/grab.md,
also for updating yt-dlp (\`tgpipe doctor\` warns when it is old).

--audio takes an optional format: put it after the links, or give the format (--audio m4a URL).
--to sends each file through the upload engine (MTProto: up to 2000 MB, 4000 MB with Premium) with
its title and source link as the caption, its thumbnail, and video or audio attributes; it needs a
login (tgpipe login), the chat is checked before anything downloads (unknown: exit 2), and the file
stays in --out unless --delete-after. A file over the account's limit fails its link (exit 3).
Re-running the same command resumes it: links already grabbed are skipped, unfinished ones continue,
and nothing is sent to the chat twice.
Exit code 3 when some links failed (each reported with yt-dlp's stderr), 2 for a bad link or flag.`;

/** `tgpipe grab <url…>`: videos or their sound from YouTube, Instagram, TikTok, ... or any page. */
export function grabCommand(io: CliIo, state: CliState): AnyCommand {
  return addMediaFlags(new Command("grab"))
    .description(
      "Download videos or their audio from YouTube, Instagram, TikTok, Snapchat, Likee or any page",
    )
    .argument("[urls...]", "links to videos or pages with a video")
    .option("-o, --out <dir>", "output directory", ".")
    .option("--info", "show title, uploader, duration and the qualities to choose from; download nothing")
    .option("--quality <q>", "best, worst, a height like 720p (at most), or a format id from --info", "best")
    .addOption(
      new Option("--audio [format]", `only the sound, converted: ${AUDIO_FORMATS.join(", ")} (default mp3)`)
        .argParser(_audio),
    )
    .option("--max-size <size>", "fail a link whose file is bigger (e.g. 500MB)")
    .option("--template <tpl>", "file name template inside --out, yt-dlp's syntax (default per platform)")
    .option("--from-file <file>", "read more links from a file, one per line ('-' = stdin)")
    .option("--yt-dlp <path>", "yt-dlp binary (default: PATH; also TGPIPE_YT_DLP)")
    .option("--cookies <file>", "cookies.txt (Netscape format) for sites that want a login")
    .option("--to <chat>", "also send each file to this chat (@name, link, id or me), up to 2 GB")
    .option("--delete-after", "with --to: delete each file once Telegram confirmed its message")
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES + "\n" + MEDIA_FLAGS_HELP)
    .action(makeAction(io, state, async (rt, args, flags) => {
      const urls = [...args, ...await readInputsFile(flags.fromFile)];
      const audio = flags.audio === true ? "mp3" : flags.audio;
      const quality = flags.quality === "best" ? undefined : flags.quality;
      if (flags.info) return await _info(rt, { urls, quality, audio, cookies: flags.cookies });
      if (flags.deleteAfter && flags.to === undefined) throw new UsageError("--delete-after needs --to");
      const { grab } = await import("../../app/grab/grab.ts");
      // only --to needs Telegram: without it no GramJS is loaded
      const accounts = flags.to === undefined
        ? undefined
        : [(await import("../../app/shared/telegram_access.ts")).telegramAccess(rt.settings)];
      const report = await grab({
        urls,
        out: flags.out,
        kv: rt.settings.kv,
        createKvParent: rt.sources.kv === "default",
        quality,
        audio,
        maxBytes: _positive(parseSize(flags.maxSize, "--max-size"), "--max-size"),
        template: flags.template,
        cookies: flags.cookies,
        ytDlp: rt.settings.ytDlp,
        to: flags.to,
        accounts,
        deleteAfter: flags.deleteAfter === true,
        media: mediaSettings(flags as MediaFlags, rt) ?? _probeOnly(rt),
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("grab", report, () => _human(report));
      return report.exit_code;
    }));
}

async function _info(
  rt: Runtime,
  o: { urls: string[]; quality?: string; audio?: AudioFormat; cookies?: string },
): Promise<number> {
  const { showInfo } = await import("../../app/grab/show_info.ts");
  const report = await showInfo({
    ...o,
    ytDlp: rt.settings.ytDlp,
    searchPath: rt.io.env.PATH ?? "",
    cacheDir: rt.settings.cacheDir,
    emit: rt.emit,
    signal: rt.signal,
  });
  rt.result("grab_info", report, () => renderGrabInfo(report));
  return report.exit_code;
}

/** No media flag: the files are still probed (duration, size, codecs in the result). */
function _probeOnly(rt: Runtime) {
  return {
    ffmpeg: rt.settings.ffmpeg,
    ffprobe: rt.settings.ffprobe,
    searchPath: rt.io.env.PATH ?? "",
    cacheDir: rt.settings.cacheDir,
    workers: 1,
  };
}

function _human(r: GrabReport): string {
  const lines = r.files.map((f) =>
    `${f.path}  (${formatBytes(f.bytes)}, ${f.title})${
      f.sent ? ` -> ${f.sent.to} ${_ids(f.sent.message_ids)}` : ""
    }`
  );
  const failed = r.failed > 0 ? `, ${r.failed} failed` : "";
  const skipped = r.skipped > 0 ? ` (${r.skipped} already there)` : "";
  lines.push(
    `${r.done + r.skipped}/${r.items} links${skipped}${failed}, ${formatBytes(r.bytes)} in ${
      (r.elapsed_ms / 1000).toFixed(1)
    }s (job ${r.job})`,
  );
  return lines.join("\n") + "\n";
}

function _ids(ids: number[]): string {
  return ids.length > 0 ? `(message ${ids.join(", ")})` : "(sent before)";
}

function _audio(v: string): AudioFormat {
  if (!(AUDIO_FORMATS as readonly string[]).includes(v)) {
    throw new InvalidArgumentError(`expected ${AUDIO_FORMATS.join(", ")}`);
  }
  return v as AudioFormat;
}

function _positive(n: number | undefined, flag: string): number | undefined {
  if (n !== undefined && n <= 0) throw new UsageError(`${flag} must be above 0`);
  return n;
}
