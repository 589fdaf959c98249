/**
 * The shared PostProcessor conformance suite (docs/architecture.md, interfaces): every processor,
 * given good media, corrupt media, no tools, and an aborted signal, must behave the same way.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type {
  MediaItem,
  MediaOptions,
  PostProcessor,
  ProcessorContext,
} from "../../lib/media/post_processor.ts";
import { STAGES } from "../../lib/media/post_processor.ts";
import type { EventBody } from "../../lib/progress/events.ts";

/** What the suite needs to exercise one processor. */
export interface ConformanceFixture {
  /** Makes a good input in `dir` that the processor accepts with `options`. */
  good(dir: string): Promise<MediaItem>;
  options: MediaOptions;
  /** Real tools for the good case. */
  tools: ProcessorContext["tools"];
}

function _ctx(cacheDir: string, f: ConformanceFixture, over: Partial<ProcessorContext> = {}) {
  const events: EventBody[] = [];
  const ctx: ProcessorContext = {
    signal: new AbortController().signal,
    tools: f.tools,
    cacheDir,
    options: f.options,
    emit: (e) => events.push(e),
    previous: {},
    ...over,
  };
  return ctx;
}

async function _files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/** Registers the conformance tests for one processor. */
export function postProcessorConformance(p: PostProcessor, f: ConformanceFixture): void {
  const withDir = async (fn: (dir: string, cache: string) => Promise<void>) => {
    const dir = await Deno.makeTempDir();
    const cache = await Deno.makeTempDir();
    try {
      await fn(dir, cache);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(cache, { recursive: true });
    }
  };

  Deno.test(`${p.name}: has a name and a known stage`, () => {
    assert.match(p.name, /^[a-z_]+$/);
    assert.ok((STAGES as readonly string[]).includes(p.stage));
  });

  Deno.test(`${p.name}: good input gives an ok result whose files exist, are complete, and clone`, async () => {
    await withDir(async (dir, cache) => {
      const item = await f.good(dir);
      assert.equal(p.accepts(item, f.options), true);
      const r = await p.run(item, _ctx(cache, f));
      assert.equal(r.processor, p.name);
      assert.equal(r.status, "ok", JSON.stringify(r.warning));
      for (const file of r.files) assert.equal((await Deno.stat(file.path)).size, file.bytes);
      assert.deepEqual(structuredClone(r), r, "results must cross a worker boundary");
      assert.equal((await _files(dir)).filter((n) => n.endsWith(".part")).length, 0);
    });
  });

  Deno.test(`${p.name}: corrupt input is a failed result with a warning, and no derived file`, async () => {
    await withDir(async (dir, cache) => {
      const good = await f.good(dir);
      const bad = join(dir, `corrupt${good.path.slice(good.path.lastIndexOf("."))}`);
      await Deno.writeFile(bad, new Uint8Array(2048).fill(0x42));
      const before = await _files(dir);
      const r = await p.run({ ...good, path: bad, size: 2048, sha256: undefined }, _ctx(cache, f));
      assert.equal(r.status, "failed");
      assert.ok(r.warning && r.warning.code.length > 0 && r.warning.message.startsWith(`${p.name}: `));
      assert.deepEqual(r.files, []);
      assert.deepEqual(await _files(dir), before);
    });
  });

  Deno.test(`${p.name}: missing tools give a TOOL_MISSING warning, not a throw`, async () => {
    await withDir(async (dir, cache) => {
      const item = await f.good(dir);
      const r = await p.run(item, _ctx(cache, f, { tools: {} }));
      // Image processors may not need a tool at all (sharp); those still succeed.
      if (r.status !== "ok") assert.equal(r.warning?.code, "TOOL_MISSING");
    });
  });

  Deno.test(`${p.name}: an aborted signal rethrows its reason`, async () => {
    await withDir(async (dir, cache) => {
      const item = await f.good(dir);
      const ac = new AbortController();
      ac.abort(new Error("stop now"));
      await assert.rejects(p.run(item, _ctx(cache, f, { signal: ac.signal })), /stop now/);
    });
  });
}
