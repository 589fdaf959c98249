/**
 * Duration in seconds of a PCM WAV file, from its header (fmt byte rate and data size), reading
 * only the first 4 KB. ffmpeg may put a LIST chunk before "data", so chunks are walked.
 * Throws SyntaxError for anything that is not RIFF/WAVE PCM.
 */
export async function wavDuration(path: string): Promise<number> {
  using file = await Deno.open(path, { read: true });
  const head = new Uint8Array(4096);
  const n = (await file.read(head)) ?? 0;
  const { size } = await file.stat();
  const v = new DataView(head.buffer, 0, n);
  const tag = (o: number) => String.fromCharCode(...head.subarray(o, o + 4));
  if (n < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new SyntaxError(`${path} is not a WAV file`);
  let off = 12, byteRate = 0;
  while (off + 8 <= n) {
    const id = tag(off), len = v.getUint32(off + 4, true);
    if (id === "fmt ") byteRate = v.getUint32(off + 16, true);
    if (id === "data") {
      if (byteRate === 0) break;
      // The header's data size can be a placeholder (streamed output); the file size is the truth.
      const bytes = Math.min(len, size - off - 8);
      return bytes / byteRate;
    }
    off += 8 + len + (len % 2);
  }
  throw new SyntaxError(`${path} has no PCM data chunk`);
}
