/**
 * Where to cut a video so each piece stays under a byte budget: ffprobe lists the packets
 * (no decoding), they are grouped into keyframe intervals of the first video stream, and the
 * intervals are packed greedily into pieces. A copy-cut can only start a piece at a keyframe.
 */
import { runTool } from "../tools/run_tool.ts";
import type { ResolvedTool } from "../tools/tool_types.ts";

/** The cut times (seconds, keyframes of the first video stream) and the biggest keyframe interval. */
export interface CutPlan {
  times: number[];
  /** Bytes of the largest keyframe interval: above the budget no copy-cut fits. */
  largestGop: number;
}

/** Plans cuts of `path` into pieces of at most `budget` bytes of packets. */
export async function videoCutPoints(
  path: string,
  budget: number,
  o: { ffprobe: ResolvedTool; signal?: AbortSignal },
): Promise<CutPlan> {
  const args = [
    "-v",
    "error",
    "-show_entries",
    "packet=codec_type,pts_time,size,flags",
    "-of",
    "compact=p=0",
    path,
  ];
  const { stdout } = await runTool(o.ffprobe, args, { signal: o.signal, maxStdoutBytes: 512 << 20 });
  const gops = _gops(new TextDecoder().decode(stdout));
  const times: number[] = [];
  let piece = 0;
  let largestGop = 0;
  for (const [i, g] of gops.entries()) {
    largestGop = Math.max(largestGop, g.bytes);
    if (i > 0 && piece + g.bytes > budget) {
      times.push(g.start);
      piece = 0;
    }
    piece += g.bytes;
  }
  return { times, largestGop };
}

/** Keyframe intervals: start time of each video keyframe and the bytes of every packet until the next. */
function _gops(text: string): Array<{ start: number; bytes: number }> {
  const packets: Array<{ t: number; size: number; key: boolean }> = [];
  for (const line of text.split("\n")) {
    const m = line.match(/codec_type=(\w+)\|pts_time=([-\d.]+|N\/A)\|size=(\d+)\|flags=(\S*)/);
    if (!m) continue;
    const t = Number(m[2]);
    packets.push({
      t: Number.isFinite(t) ? t : NaN,
      size: Number(m[3]),
      key: m[1] === "video" && m[4].startsWith("K"),
    });
  }
  const keys = packets.filter((p) => p.key && Number.isFinite(p.t)).map((p) => p.t).sort((a, b) => a - b);
  if (keys.length === 0) return [{ start: 0, bytes: packets.reduce((s, p) => s + p.size, 0) }];
  const gops = keys.map((start) => ({ start, bytes: 0 }));
  for (const p of packets) {
    // a packet belongs to the interval of the last keyframe at or before it (the first one for earlier audio)
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (keys[mid] <= p.t) lo = mid;
      else hi = mid - 1;
    }
    gops[lo].bytes += p.size;
  }
  return gops;
}
