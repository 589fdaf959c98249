/**
 * RFC 9110 response planning for one GET or HEAD of a file: conditional requests (If-None-Match,
 * If-Modified-Since, If-Range) and ranges (206, multipart/byteranges, 416), as a pure function of
 * the request's method and headers and the file's length and validators. Streaming the bytes the
 * plan names is the caller's.
 */
import { type ByteRange, coalesceRanges, parseRange } from "./range.ts";
import { toHex } from "../core/to_hex.ts";

/** What the response is about: one file and its validators. */
export interface Entity {
  size: number;
  /** Content-Type. */
  type: string;
  /** A strong entity tag, quoted (`"doc-123"`). */
  etag: string;
  /** Last modification, ms since the epoch (sent with second precision). */
  lastModified: number;
  /** Content-Disposition, when there is one. */
  disposition?: string;
}

/** One part of a multipart/byteranges body: its header block, then the bytes of its range. */
export interface BodyPart {
  head: string;
  range: ByteRange;
}

/** The bytes a response carries. */
export type BodyPlan =
  | { kind: "none" }
  | { kind: "single"; range: ByteRange }
  | { kind: "multipart"; parts: BodyPart[]; tail: string };

/** Status, headers and body of one response. */
export interface ResponsePlan {
  status: number;
  headers: Headers;
  body: BodyPlan;
}

/** Plans the response to a GET or HEAD of `entity` (see module comment). */
export function planResponse(
  req: { method: string; headers: Headers },
  entity: Entity,
  opts: { boundary?: string } = {},
): ResponsePlan {
  const head = req.method === "HEAD";
  const h = req.headers;
  const lastModified = new Date(Math.floor(entity.lastModified / 1000) * 1000);
  const validators = new Headers({
    "ETag": entity.etag,
    "Last-Modified": lastModified.toUTCString(),
    "Accept-Ranges": "bytes",
  });
  if (_notModified(h, entity.etag, lastModified.getTime())) {
    return { status: 304, headers: validators, body: { kind: "none" } };
  }
  const headers = new Headers(validators);
  if (entity.disposition) headers.set("Content-Disposition", entity.disposition);
  const whole = (): ResponsePlan => {
    headers.set("Content-Type", entity.type);
    headers.set("Content-Length", String(entity.size));
    const body: BodyPlan = head || entity.size === 0
      ? { kind: "none" }
      : { kind: "single", range: { start: 0, end: entity.size - 1 } };
    return { status: 200, headers, body };
  };
  // Range is defined for GET only (§14.2): HEAD answers what a GET without Range would
  if (head || !_ifRangeHolds(h.get("If-Range"), entity.etag, lastModified.getTime())) return whole();
  const asked = parseRange(h.get("Range"), entity.size);
  if (asked.kind === "ignore") return whole();
  if (asked.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${entity.size}`);
    headers.set("Content-Length", "0");
    return { status: 416, headers, body: { kind: "none" } };
  }
  const ranges = asked.ranges.length === 1 ? asked.ranges : coalesceRanges(asked.ranges);
  if (ranges.length === 1) {
    const r = ranges[0];
    // several ranges that overlap into the whole file are just the file
    if (asked.ranges.length > 1 && r.start === 0 && r.end === entity.size - 1) return whole();
    headers.set("Content-Type", entity.type);
    headers.set("Content-Range", `bytes ${r.start}-${r.end}/${entity.size}`);
    headers.set("Content-Length", String(r.end - r.start + 1));
    return { status: 206, headers, body: { kind: "single", range: r } };
  }
  return _multipart(headers, entity, ranges, opts.boundary ?? _boundary());
}

function _multipart(headers: Headers, entity: Entity, ranges: ByteRange[], boundary: string): ResponsePlan {
  const parts = ranges.map((range): BodyPart => ({
    head: `\r\n--${boundary}\r\nContent-Type: ${entity.type}\r\n` +
      `Content-Range: bytes ${range.start}-${range.end}/${entity.size}\r\n\r\n`,
    range,
  }));
  const tail = `\r\n--${boundary}--\r\n`;
  const enc = new TextEncoder();
  const length = parts.reduce((n, p) => n + enc.encode(p.head).length + p.range.end - p.range.start + 1, 0) +
    enc.encode(tail).length;
  headers.set("Content-Type", `multipart/byteranges; boundary=${boundary}`);
  headers.set("Content-Length", String(length));
  return { status: 206, headers, body: { kind: "multipart", parts, tail } };
}

// §13.1.2: If-None-Match (weak comparison) wins over If-Modified-Since, which is then ignored.
function _notModified(h: Headers, etag: string, lastModified: number): boolean {
  const inm = h.get("If-None-Match");
  if (inm !== null) {
    if (inm.trim() === "*") return true;
    return _tags(inm).some((t) => _opaque(t) === _opaque(etag));
  }
  const ims = h.get("If-Modified-Since");
  if (ims === null) return false;
  const t = Date.parse(ims);
  return Number.isFinite(t) && lastModified <= t;
}

// §13.1.5: the Range applies only when If-Range matches: a strong ETag (never a weak one), or
// an HTTP-date equal to Last-Modified.
function _ifRangeHolds(ifRange: string | null, etag: string, lastModified: number): boolean {
  if (ifRange === null) return true;
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith("W/")) return v === etag;
  const t = Date.parse(v);
  return Number.isFinite(t) && t === lastModified;
}

function _tags(list: string): string[] {
  return list.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

function _opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

function _boundary(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return `tgpipe-${toHex(b)}`;
}
