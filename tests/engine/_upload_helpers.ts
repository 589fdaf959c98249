/** Helpers of the upload engine tests: in-memory sources and lanes over the fake DC's part rules. */
import { RpcError } from "../fakedc/contract.ts";
import { Uploads } from "../fakedc/handlers/uploads.ts";
import { TelegramError } from "../../lib/core/errors.ts";
import type { SavePart, UploadLane } from "../../lib/engine/upload_lane.ts";
import type { UploadSource } from "../../lib/engine/upload_source.ts";
import type { UploadedFile } from "../../lib/engine/upload_file.ts";

/** Deterministic bytes. */
export function bytesOf(n: number, seed = 7): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** An in-memory source; `known: false` hides its size (stdin, an HTTP body without length). */
export function memSource(
  bytes: Uint8Array,
  opts: { known?: boolean; chunk?: number; seekable?: boolean; name?: string } = {},
): UploadSource & { opens: number[] } {
  const chunk = opts.chunk ?? 100_000;
  const opens: number[] = [];
  return {
    name: opts.name ?? "mem.bin",
    size: opts.known === false ? undefined : bytes.length,
    origin: "memory",
    seekable: opts.seekable ?? true,
    opens,
    async *open(offset: number, signal: AbortSignal) {
      opens.push(offset);
      for (let at = offset; at < bytes.length; at += chunk) {
        signal.throwIfAborted();
        await Promise.resolve();
        yield bytes.subarray(at, Math.min(bytes.length, at + chunk));
      }
    },
  };
}

/** A test server: the fake DC's Uploads with a controllable clock and part limit. */
export function testServer(opts: { maxParts?: number; ttlMs?: number } = {}) {
  const clock = { t: 1_000_000 };
  const uploads = new Uploads({
    maxParts: () => opts.maxParts ?? 4000,
    ttlMs: opts.ttlMs ?? 0,
    now: () => clock.t,
  });
  const calls: SavePart[] = [];
  let nextId = 1n;
  /** The file as the server assembles it at a send (throws FILE_PART_X_MISSING & co. as TelegramError). */
  const take = (f: UploadedFile): Uint8Array => {
    try {
      const blob = uploads.take(1n, {
        className: f.big ? "InputFileBig" : "InputFile",
        id: f.fileId,
        parts: f.parts,
        md5Checksum: f.md5 ?? "",
      }, () => nextId++);
      const src = blob.source as { kind: "mem"; parts: Uint8Array[] };
      const out = new Uint8Array(blob.size);
      let at = 0;
      for (const p of src.parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    } catch (err) {
      if (err instanceof RpcError) throw new TelegramError(err.code, err.errorMessage, "messages.SendMedia");
      throw err;
    }
  };
  /** A lane saving into this server; `hook` may delay, fail or drop a call. */
  const lane = (
    label: string,
    hook?: (p: SavePart, signal: AbortSignal, n: number) => Promise<"drop" | void> | "drop" | void,
  ): UploadLane & { paused: number; count: number } => {
    const l = {
      label,
      paused: 0,
      count: 0,
      pausedUntil: () => l.paused,
      async savePart(p: SavePart, signal: AbortSignal) {
        const n = l.count++;
        calls.push({ ...p, bytes: new Uint8Array(0) });
        if ((await hook?.(p, signal, n)) === "drop") return;
        try {
          uploads.save(1n, p.fileId, p.index, p.bytes.slice(), p.big ? p.totalParts : undefined);
        } catch (err) {
          if (err instanceof RpcError) {
            throw new TelegramError(err.code, err.errorMessage, "upload.SaveFilePart");
          }
          throw err;
        }
      },
    };
    return l;
  };
  return { clock, uploads, calls, take, lane };
}

/** Waits until `pred` holds, checking after each microtask turn and timer tick (no fixed sleep). */
export async function until(pred: () => boolean, what: string, maxTicks = 200_000): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`Never happened: ${what}`);
}
