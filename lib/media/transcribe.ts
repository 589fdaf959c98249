import { join } from "node:path";
import { TgpipeError, ToolMissingError } from "../core/errors.ts";
import { derivedPath } from "./derived_path.ts";
import { failureResult } from "./failure_result.ts";
import { sha256File } from "./hash_file.ts";
import type {
  DerivedFile,
  MediaItem,
  MediaOptions,
  PostProcessor,
  ProcessorContext,
  ProcessorResult,
  TranscribeOptions,
} from "./post_processor.ts";
import { runTool } from "../tools/run_tool.ts";
import { runWhisper } from "./run_whisper.ts";
import { formatTranscript, type Transcript, type TranscriptSegment } from "./subtitles.ts";
import { TranscriptCache } from "./transcript_cache.ts";
import { readWavInfo } from "./wav_info.ts";
import { writeViaPart } from "./write_part.ts";

const SPOKEN = new Set(["voice", "audio", "round", "video"]);

/**
 * transcribe: ffmpeg -> 16 kHz mono WAV chunks (10 min by default) -> whisper-cli JSON per chunk
 * -> one timestamped transcript, cached by the media's sha256 and written as .srt/.vtt (and
 * optionally .json/.txt) beside the media. metadata.transcript holds it for notes and JSON lines.
 */
export const transcribeProcessor: PostProcessor = {
  name: "transcribe",
  stage: "transcribe",
  accepts(item: MediaItem, options: MediaOptions): boolean {
    if (!options.transcribe) return false;
    return SPOKEN.has(item.kind) || /^(audio|video)\//.test(item.mime ?? "");
  },
  async run(item: MediaItem, ctx: ProcessorContext): Promise<ProcessorResult> {
    const o = ctx.options.transcribe!;
    try {
      if (ctx.previous.probe?.metadata.has_audio === false) {
        return { processor: "transcribe", status: "skipped", files: [], metadata: { reason: "no_audio" } };
      }
      const { whisperCli } = ctx.tools;
      if (!whisperCli) throw new ToolMissingError("whisper-cli", "pass --whisper-cli; see `tgpipe doctor`");
      const model = await _modelSize(o.model);
      const cache = new TranscriptCache(ctx.cacheDir);
      const variant = TranscriptCache.variant({ path: o.model, size: model }, o.language ?? "auto");
      const sha = item.sha256 ?? await sha256File(item.path, { signal: ctx.signal });
      let transcript = await cache.get(sha, variant);
      const cached = transcript !== undefined;
      if (!transcript) {
        transcript = await _transcribe(item.path, o, ctx);
        await cache.put(sha, variant, transcript);
      }
      const files = await _writeFormats(item.path, transcript, ctx.options);
      return { processor: "transcribe", status: "ok", files, metadata: { cached, sha256: sha, transcript } };
    } catch (err) {
      return failureResult("transcribe", err, ctx.signal);
    }
  },
};

async function _modelSize(model: string): Promise<number> {
  try {
    const st = await Deno.stat(model);
    if (st.isFile && st.size > 0) return st.size;
  } catch {
    // Reported below with the path, which is what the user needs to fix it.
  }
  throw new TgpipeError(`Whisper model not found or empty: ${model}`, {
    code: "MODEL_MISSING",
    data: { model },
  });
}

async function _transcribe(path: string, o: TranscribeOptions, ctx: ProcessorContext): Promise<Transcript> {
  const tmpRoot = join(ctx.cacheDir, "tmp");
  await Deno.mkdir(tmpRoot, { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: tmpRoot, prefix: "transcribe-" });
  try {
    const chunkSeconds = o.chunkSeconds ?? 600;
    // Already what whisper.cpp wants (16 kHz mono s16 WAV, one chunk): no conversion needed.
    if (await _whisperReady(path, chunkSeconds)) return await _whisperChunks([path], scratch, o, ctx);
    const ffmpeg = ctx.tools.ffmpeg;
    if (!ffmpeg) throw new ToolMissingError("ffmpeg", "install ffmpeg or pass --ffmpeg; see `tgpipe doctor`");
    // One ffmpeg pass decodes and cuts: whisper.cpp holds a whole input in memory, chunks bound it.
    await runTool(ffmpeg, [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-i",
      path,
      "-vn",
      "-ac",
      "1",
      "-ar",
      "16000",
      "-c:a",
      "pcm_s16le",
      "-f",
      "segment",
      "-segment_time",
      String(chunkSeconds),
      join(scratch, "chunk_%05d.wav"),
    ], { signal: ctx.signal, timeoutMs: ctx.options.timeoutMs, stdout: "discard" });
    const chunks: string[] = [];
    for await (const e of Deno.readDir(scratch)) {
      if (e.name.endsWith(".wav")) chunks.push(join(scratch, e.name));
    }
    chunks.sort();
    if (chunks.length === 0) {
      throw new TgpipeError(`No audio decoded from ${path}`, { code: "CORRUPT_MEDIA", data: { path } });
    }
    return await _whisperChunks(chunks, scratch, o, ctx);
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

async function _whisperReady(path: string, chunkSeconds: number): Promise<boolean> {
  if (!path.toLowerCase().endsWith(".wav")) return false;
  try {
    const w = await readWavInfo(path);
    return w.format === 1 && w.channels === 1 && w.sample_rate === 16000 && w.bits === 16 &&
      w.duration_s <= chunkSeconds;
  } catch {
    return false;
  }
}

async function _whisperChunks(
  chunks: string[],
  scratch: string,
  o: TranscribeOptions,
  ctx: ProcessorContext,
): Promise<Transcript> {
  const segments: TranscriptSegment[] = [];
  let offsetMs = 0;
  let language: string | undefined;
  for (const [i, chunk] of chunks.entries()) {
    const chunkMs = Math.round((await readWavInfo(chunk)).duration_s * 1000);
    if (chunkMs === 0) continue;
    const r = await runWhisper(ctx.tools.whisperCli!, chunk, {
      model: o.model,
      outPrefix: join(scratch, `whisper_${String(i).padStart(5, "0")}`),
      language: o.language,
      threads: o.threads,
      offsetMs,
      chunkMs,
      signal: ctx.signal,
      timeoutMs: ctx.options.timeoutMs,
    });
    language ??= r.language;
    segments.push(...r.segments);
    offsetMs += chunkMs;
  }
  return {
    language: language ?? o.language ?? "unknown",
    duration_s: offsetMs / 1000,
    text: segments.map((s) => s.text).join(" "),
    segments,
  };
}

async function _writeFormats(path: string, t: Transcript, options: MediaOptions): Promise<DerivedFile[]> {
  if (options.outDir) await Deno.mkdir(options.outDir, { recursive: true });
  const files: DerivedFile[] = [];
  for (const format of options.transcribe?.formats ?? ["srt", "vtt"]) {
    const out = derivedPath(path, format === "json" ? ".transcript.json" : `.${format}`, options);
    const text = formatTranscript(t, format);
    // An empty transcript (silence) still gets its files, so a rerun sees the work as done.
    const bytes = await writeViaPart(out, (part) => Deno.writeTextFile(part, text.length > 0 ? text : "\n"));
    files.push({ role: format, path: out, bytes });
  }
  return files;
}
