import { Command, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { TranscribeReport } from "../../app/transcribe/transcribe.ts";
import { TgpipeError, UsageError } from "../../core/errors.ts";
import { ExitCode } from "../../core/exit_codes.ts";
import { maxRuntimeOption } from "../max_runtime.ts";
import { type AnyCommand, type CliIo, type CliState, makeAction } from "../runtime.ts";

const FORMATS = ["srt", "vtt", "json", "txt"] as const;
type Format = typeof FORMATS[number];

const EXAMPLES = `
Examples:
  tgpipe transcribe voice.ogg --whisper-model ~/models/ggml-base.bin
  tgpipe transcribe *.ogg *.mp4 --language de --threads 4 --out transcripts --format srt,vtt,txt
  tgpipe --json transcribe note.ogg | jq 'select(.type=="result") | .data.files[].transcript.text'
  tgpipe transcribe @channel --out voice --limit 20 --whisper-model ~/models/ggml-base.bin

A chat (@name, t.me link, id, me) instead of files: its voice, round, audio and video media are
downloaded into --out (resumable) and transcribed there.
Transcripts are cached by content hash in the cache dir, so a file is never transcribed twice.
Exit code 3 when some files failed (each reported), 1 when all failed.`;

/** `tgpipe transcribe <files...>`: Whisper transcripts (.srt/.vtt/...) of voice, audio and video files. */
export function transcribeCommand(io: CliIo, state: CliState): AnyCommand {
  return new Command("transcribe")
    .description("Transcribe voice notes, audio and video files with whisper.cpp (whisper-cli)")
    .argument("<files...>", "media files (ogg, opus, mp3, m4a, wav, mp4, webm, ...), or one chat")
    .option("--ffmpeg <path>", "ffmpeg binary (default: PATH, then the bundled one)")
    .option("--whisper-cli <path>", "whisper.cpp whisper-cli binary")
    .option("--whisper-model <file>", "ggml Whisper model file (e.g. ggml-base.bin)")
    .option("--language <code>", "spoken language (en, de, ...) or auto", "auto")
    .option("--threads <n>", "whisper threads (default: whisper-cli's)", _positiveInt)
    .option("--jobs <n>", "files transcribed at once", _positiveInt, 1)
    .option(
      "--out <dir>",
      "write transcripts here instead of beside each file (a chat: media and transcripts)",
    )
    .option("--limit <n>", "a chat: only its newest n voice/round/audio/video files", _positiveInt)
    .addOption(
      new Option("--format <list>", `comma-separated: ${FORMATS.join(",")}`)
        .argParser(_formats).default(["srt", "vtt"] as Format[], "srt,vtt"),
    )
    .addOption(maxRuntimeOption())
    .addHelpText("after", EXAMPLES)
    .action(makeAction(io, state, async (rt, files, flags) => {
      const s = rt.settings;
      const { transcribeFiles } = await import("../../app/transcribe/transcribe.ts");
      const { isChatArgument, transcribeChat } = await import("../../app/transcribe/transcribe_chat.ts");
      const { telegramAccess } = await import("../../app/shared/telegram_access.ts");
      if (files.length === 1 && await isChatArgument(files[0])) {
        if (!flags.out) throw new UsageError("Transcribing a chat needs --out <dir> for its media");
        const dl = await transcribeChat(files[0], {
          out: flags.out,
          kv: s.kv,
          createKvParent: rt.sources.kv === "default",
          access: telegramAccess(s),
          limit: flags.limit,
          maxRuntimeMs: flags.maxRuntime,
          media: {
            transcribe: { model: s.whisperModel, language: flags.language, threads: flags.threads },
            ffmpeg: s.ffmpeg,
            whisperCli: s.whisperCli,
            searchPath: rt.io.env.PATH ?? "",
            cacheDir: s.cacheDir,
            workers: flags.jobs,
          },
          emit: rt.emit,
          signal: rt.signal,
        });
        rt.result(
          "transcribe",
          dl,
          () => `${dl.done + dl.skipped}/${dl.items} files downloaded and transcribed into ${flags.out}\n`,
        );
        return dl.exit_code;
      }
      const report = await transcribeFiles(files, {
        ffmpeg: s.ffmpeg,
        whisperCli: s.whisperCli,
        model: s.whisperModel,
        language: flags.language,
        threads: flags.threads,
        concurrency: flags.jobs,
        outDir: flags.out,
        formats: flags.format,
        searchPath: rt.io.env.PATH ?? "",
        cacheDir: s.cacheDir,
        kv: s.kv,
        createKvParent: rt.sources.kv === "default",
        maxRuntimeMs: flags.maxRuntime,
        emit: rt.emit,
        signal: rt.signal,
      });
      rt.result("transcribe", report, () => _human(report));
      // nothing worked: an error (and its `error` event) says so in one line
      if (report.exit_code === ExitCode.FAILED) {
        throw new TgpipeError(`All ${report.total} files failed`, { code: "ALL_FAILED" });
      }
      return report.exit_code;
    }));
}

function _human(r: TranscribeReport): string {
  const lines = r.files.map((f) =>
    f.ok
      ? `${f.path}: ${f.cached ? "cached" : "transcribed"} -> ${f.outputs.join(", ")}`
      : `${f.path}: FAILED ${f.warning?.message ?? ""}`
  );
  lines.push(`${r.done} of ${r.total} transcribed (${r.cached} from cache), ${r.failed} failed`);
  return lines.join("\n") + "\n";
}

function _positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function _formats(v: string): Format[] {
  const parts = v.split(",").map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0);
  if (parts.length === 0) throw new InvalidArgumentError(`at least one of ${FORMATS.join(",")}`);
  for (const p of parts) {
    if (!(FORMATS as readonly string[]).includes(p)) {
      throw new InvalidArgumentError(`unknown format "${p}" (${FORMATS.join(", ")})`);
    }
  }
  return [...new Set(parts)] as Format[];
}
