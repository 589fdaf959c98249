/** The header facts of a WAV file that matter to whisper.cpp. */
export interface WavInfo {
  /** 1 = integer PCM. */
  format: number;
  channels: number;
  sample_rate: number;
  bits: number;
  duration_s: number;
}

/**
 * Reads a WAV header (only the first 4 KB): format, channels, rate, bits, and the duration from
 * the byte rate and data size. ffmpeg may put a LIST chunk before "data", so chunks are walked.
 * Throws SyntaxError for anything that is not RIFF/WAVE with a data chunk.
 */
export async function readWavInfo(path: string): Promise<WavInfo> {
  using file = await Deno.open(path, { read: true });
  const head = new Uint8Array(4096);
  const n = (await file.read(head)) ?? 0;
  const { size } = await file.stat();
  const v = new DataView(head.buffer, 0, n);
  const tag = (o: number) => String.fromCharCode(...head.subarray(o, o + 4));
  if (n < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new SyntaxError(`${path} is not a WAV file`);
  let off = 12;
  let fmt: Omit<WavInfo, "duration_s"> | undefined;
  let byteRate = 0;
  while (off + 8 <= n) {
    const id = tag(off), len = v.getUint32(off + 4, true);
    if (id === "fmt " && off + 24 <= n) {
      fmt = {
        format: v.getUint16(off + 8, true),
        channels: v.getUint16(off + 10, true),
        sample_rate: v.getUint32(off + 12, true),
        bits: v.getUint16(off + 22, true),
      };
      byteRate = v.getUint32(off + 16, true);
    }
    if (id === "data") {
      if (!fmt || byteRate === 0) break;
      // The header's data size can be a placeholder (streamed output); the file size is the truth.
      const bytes = Math.min(len, size - off - 8);
      return { ...fmt, duration_s: bytes / byteRate };
    }
    off += 8 + len + (len % 2);
  }
  throw new SyntaxError(`${path} has no PCM data chunk`);
}
