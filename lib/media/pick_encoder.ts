/** Which hardware the machine has for video encoding (device nodes that exist). */
export interface EncoderDevices {
  /** A DRM render node, e.g. /dev/dri/renderD128 (VA-API and QSV). */
  renderNode?: string;
  /** /dev/nvidia0 or similar (NVENC). */
  nvidia?: boolean;
}

/** A chosen video encoder and the ffmpeg arguments around it. */
export interface EncoderChoice {
  encoder: string;
  hardware: "vaapi" | "nvenc" | "qsv" | "none";
  /** Arguments before `-i` (device setup). */
  inputArgs: string[];
  /** `-vf` filter chain; `scale` is applied on the CPU before upload. */
  filter: string | undefined;
  /** Codec and quality arguments. */
  codecArgs: string[];
}

/** Encoder names ffmpeg lists in `ffmpeg -encoders` (the second column). */
export function parseEncoders(listing: string): Set<string> {
  const names = new Set<string>();
  for (const line of listing.split("\n")) {
    const m = line.match(/^\s*[VAS][A-Z.]{5}\s+(\S+)/);
    if (m) names.add(m[1]);
  }
  return names;
}

/**
 * Picks the encoder for `codec`: NVENC, then VA-API, then QSV when both ffmpeg has the encoder
 * and the device exists, else libx264/libx265. Pure, so every branch is testable on any machine.
 */
export function pickEncoder(
  codec: "h264" | "hevc",
  available: Set<string>,
  opts: { devices: EncoderDevices; crf?: number; maxHeight?: number; hardware?: "auto" | "none" },
): EncoderChoice {
  const crf = opts.crf ?? (codec === "h264" ? 23 : 28);
  const scale = opts.maxHeight ? `scale=-2:'min(ih,${opts.maxHeight})'` : undefined;
  const hw = opts.hardware !== "none";
  if (hw && opts.devices.nvidia && available.has(`${codec}_nvenc`)) {
    return {
      encoder: `${codec}_nvenc`,
      hardware: "nvenc",
      inputArgs: [],
      filter: scale,
      codecArgs: ["-c:v", `${codec}_nvenc`, "-preset", "p4", "-rc", "vbr", "-cq", String(crf)],
    };
  }
  if (hw && opts.devices.renderNode && available.has(`${codec}_vaapi`)) {
    return {
      encoder: `${codec}_vaapi`,
      hardware: "vaapi",
      inputArgs: ["-vaapi_device", opts.devices.renderNode],
      filter: [scale, "format=nv12", "hwupload"].filter(Boolean).join(","),
      codecArgs: ["-c:v", `${codec}_vaapi`, "-qp", String(crf)],
    };
  }
  if (hw && opts.devices.renderNode && available.has(`${codec}_qsv`)) {
    return {
      encoder: `${codec}_qsv`,
      hardware: "qsv",
      inputArgs: [],
      filter: [scale, "format=nv12"].filter(Boolean).join(","),
      codecArgs: ["-c:v", `${codec}_qsv`, "-global_quality", String(crf)],
    };
  }
  const sw = codec === "h264" ? "libx264" : "libx265";
  return {
    encoder: sw,
    hardware: "none",
    inputArgs: [],
    filter: scale ? `${scale},format=yuv420p` : "format=yuv420p",
    codecArgs: [
      "-c:v",
      sw,
      "-preset",
      "veryfast",
      "-crf",
      String(crf),
      ...(codec === "hevc" ? ["-tag:v", "hvc1"] : []),
    ],
  };
}
