/** What ffprobe tells about a media file, in tgpipe's own shape (snake_case: it goes to JSON). */
export interface ProbeInfo {
  format: string;
  duration_s?: number;
  bitrate?: number;
  has_video: boolean;
  has_audio: boolean;
  video_codec?: string;
  width?: number;
  height?: number;
  fps?: number;
  audio_codec?: string;
  sample_rate?: number;
  channels?: number;
}

interface _Stream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}

/**
 * Parses `ffprobe -print_format json -show_format -show_streams` output. Cover art (an attached
 * picture in an MP3) is not counted as video. Throws SyntaxError when the JSON has no format.
 */
export function parseProbe(json: string): ProbeInfo {
  const doc = JSON.parse(json) as { format?: Record<string, string>; streams?: _Stream[] };
  if (!doc.format || !Array.isArray(doc.streams)) {
    throw new SyntaxError("ffprobe output has no format/streams");
  }
  const video = doc.streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  const audio = doc.streams.find((s) => s.codec_type === "audio");
  const info: ProbeInfo = {
    format: doc.format.format_name ?? "unknown",
    has_video: video !== undefined,
    has_audio: audio !== undefined,
  };
  const duration = _num(doc.format.duration) ?? _num(video?.duration) ?? _num(audio?.duration);
  if (duration !== undefined) info.duration_s = Math.round(duration * 1000) / 1000;
  const bitrate = _num(doc.format.bit_rate);
  if (bitrate !== undefined) info.bitrate = Math.round(bitrate);
  if (video) {
    info.video_codec = video.codec_name;
    // Phones record portrait video as landscape plus a rotation; report what people see.
    const rot = Math.abs(
      video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ??
        Number(video.tags?.rotate ?? 0),
    );
    const swap = rot === 90 || rot === 270;
    info.width = swap ? video.height : video.width;
    info.height = swap ? video.width : video.height;
    const fps = _rate(video.avg_frame_rate);
    if (fps !== undefined) info.fps = fps;
  }
  if (audio) {
    info.audio_codec = audio.codec_name;
    const sr = _num(audio.sample_rate);
    if (sr !== undefined) info.sample_rate = sr;
    if (audio.channels !== undefined) info.channels = audio.channels;
  }
  return info;
}

function _num(v: string | undefined): number | undefined {
  if (v === undefined || v === "N/A") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function _rate(v: string | undefined): number | undefined {
  const m = v?.match(/^(\d+)\/(\d+)$/);
  if (!m || Number(m[2]) === 0) return undefined;
  return Math.round((Number(m[1]) / Number(m[2])) * 100) / 100;
}
