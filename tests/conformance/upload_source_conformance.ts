/**
 * The shared UploadSource conformance suite (docs/architecture.md, interfaces): every source the
 * upload engine reads (file ranges, URLs, stdin, split pieces and manifests) hands out exactly its
 * bytes in order, honours `size` and `seekable`, ends on abort with the signal's reason, and
 * refuses what it cannot do with a typed error instead of wrong bytes.
 */
import assert from "node:assert/strict";
import type { UploadSource } from "../../lib/engine/upload_source.ts";

/** Makes a fresh source over `bytes`; `close` releases what it needed (a server, a temp dir). */
export type SourceFactory = (
  bytes: Uint8Array,
) => Promise<{ source: UploadSource; close?: () => Promise<void> }>;

/** What the implementation promises beyond the interface. */
export interface SourceTraits {
  /** `size` is known before reading (false: stdin, an HTTP body without length). */
  sizeKnown: boolean;
  seekable: boolean;
  /** The source can be read more than once (false: stdin). */
  reopens: boolean;
}

const SIG = new AbortController().signal;

async function _all(src: UploadSource, offset = 0, signal = SIG): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src.open(offset, signal)) {
    assert.ok(c instanceof Uint8Array && c.length > 0, "chunks are non-empty Uint8Arrays");
    parts.push(c);
  }
  return new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
}

function _bytes(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (i * 131 + (i >> 9)) % 256);
}

async function _with(make: SourceFactory, n: number, fn: (s: UploadSource, b: Uint8Array) => Promise<void>) {
  const bytes = _bytes(n);
  const { source, close } = await make(bytes);
  try {
    await fn(source, bytes);
  } finally {
    await close?.();
  }
}

/** Registers the suite for one implementation. */
export function uploadSourceConformance(name: string, make: SourceFactory, traits: SourceTraits): void {
  Deno.test(`upload source conformance (${name}): the bytes, in order, as declared`, async () => {
    await _with(make, 700_001, async (s, bytes) => {
      assert.ok(s.name.length > 0 && !/[/\\]/.test(s.name), `name "${s.name}"`);
      assert.ok(s.origin.length > 0);
      assert.equal(s.seekable, traits.seekable);
      assert.equal(s.size, traits.sizeKnown ? bytes.length : undefined);
      assert.deepEqual(await _all(s), bytes);
      if (traits.reopens) assert.deepEqual(await _all(s), bytes, "a second read gives the same bytes");
      else await assert.rejects(_all(s), (e: Error & { retryable?: boolean }) => e.retryable === false);
    });
  });

  Deno.test(`upload source conformance (${name}): open(offset) starts there, or refuses`, async () => {
    await _with(make, 300_000, async (s, bytes) => {
      if (!traits.seekable) {
        await assert.rejects(_all(s, 4096), (e: Error & { retryable?: boolean }) => e.retryable === false);
        return;
      }
      assert.deepEqual(await _all(s, 123_457), bytes.subarray(123_457));
      assert.equal((await _all(s, bytes.length)).length, 0);
      await assert.rejects(_all(s, bytes.length + 1), RangeError);
    });
  });

  Deno.test(`upload source conformance (${name}): an abort ends the read with the signal's reason`, async () => {
    await _with(make, 2_000_000, async (s) => {
      const ctl = new AbortController();
      let n = 0;
      const reading = (async () => {
        for await (const c of s.open(0, ctl.signal)) {
          n += c.length;
          ctl.abort(new Error("stopped by the conformance suite"));
        }
      })();
      await assert.rejects(reading, /stopped by the conformance suite/);
      assert.ok(n < 2_000_000, "the read stopped before the end");
    });
  });

  Deno.test(`upload source conformance (${name}): an empty source ends at once`, async () => {
    await _with(make, 0, async (s) => {
      assert.equal(s.size, traits.sizeKnown ? 0 : undefined);
      assert.equal((await _all(s)).length, 0);
    });
  });
}
