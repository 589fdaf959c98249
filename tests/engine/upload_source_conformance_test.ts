/** Runs the UploadSource conformance suite over every source of lib/engine. */
import { bytesSource } from "../../lib/engine/bytes_source.ts";
import { fileRangeSource } from "../../lib/engine/file_range_source.ts";
import { splitFile } from "../../lib/engine/split_file.ts";
import { stdinSource } from "../../lib/engine/stdin_source.ts";
import { openUrlSource } from "../../lib/engine/url_source.ts";
import { type SourceFactory, uploadSourceConformance } from "../conformance/upload_source_conformance.ts";
import { type OriginFaults, startOrigin } from "../_helpers/http_origin.ts";

function _inTemp(
  fn: (path: string, bytes: Uint8Array) => Promise<Awaited<ReturnType<SourceFactory>>["source"]>,
): SourceFactory {
  return async (bytes) => {
    const dir = await Deno.makeTempDir({ prefix: "tgpipe_srcconf_" });
    await Deno.writeFile(`${dir}/f.bin`, bytes);
    return { source: await fn(`${dir}/f.bin`, bytes), close: () => Deno.remove(dir, { recursive: true }) };
  };
}

function _url(faults: OriginFaults): SourceFactory {
  return async (bytes) => {
    const o = startOrigin({ "/f.bin": { body: bytes, faults: () => faults } });
    try {
      return { source: await openUrlSource(`${o.base}/f.bin`), close: () => o.close() };
    } catch (err) {
      await o.close();
      throw err;
    }
  };
}

uploadSourceConformance(
  "file range",
  _inTemp(async (path, bytes) => {
    // the range sits inside a bigger file, as a piece of a split does
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 10);
    await Deno.writeFile(path, padded);
    return fileRangeSource(path, { offset: 10, length: bytes.length, name: "f.bin.002" });
  }),
  { sizeKnown: true, seekable: true, reopens: true },
);
uploadSourceConformance(
  "split piece",
  _inTemp(async (path) => (await splitFile(path, { limitBytes: 1 << 30 })).pieces[0]),
  { sizeKnown: true, seekable: true, reopens: true },
);
uploadSourceConformance(
  "bytes (a split's manifest)",
  (bytes) => Promise.resolve({ source: bytesSource(bytes, { name: "m.tgsplit.json" }) }),
  { sizeKnown: true, seekable: true, reopens: true },
);
uploadSourceConformance("url with ranges", _url({}), { sizeKnown: true, seekable: true, reopens: true });
uploadSourceConformance("url without ranges", _url({ noRange: true }), {
  sizeKnown: true,
  seekable: false,
  reopens: true,
});
uploadSourceConformance("url chunked", _url({ noRange: true, chunked: true }), {
  sizeKnown: false,
  seekable: false,
  reopens: true,
});
uploadSourceConformance(
  "stdin",
  (bytes) => Promise.resolve({ source: stdinSource(_pipe(bytes), { name: "in.bin" }) }),
  { sizeKnown: false, seekable: false, reopens: false },
);

/** `bytes` in 64 KiB reads, the way a pipe hands them over. */
function _pipe(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + 65536));
      at += 65536;
    },
  });
}
