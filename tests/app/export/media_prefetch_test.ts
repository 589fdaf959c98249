import assert from "node:assert/strict";
import { MediaPrefetch } from "../../../lib/app/export/media_prefetch.ts";
import type { RemoteFile } from "../../../lib/telegram/remote_file.ts";

function _file(key: string): RemoteFile {
  return { key, size: 10 } as RemoteFile;
}

/** A fetch that resolves when told to, recording the order of starts and the most at once. */
function _gated() {
  const started: string[] = [];
  const gates = new Map<string, { resolve: (v: boolean) => void; reject: (e: Error) => void }>();
  let running = 0;
  let most = 0;
  const fetch = (_f: RemoteFile, dest: string, signal?: AbortSignal) => {
    started.push(dest);
    running++;
    most = Math.max(most, running);
    return new Promise<boolean>((resolve, reject) => {
      gates.set(dest, { resolve, reject });
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    }).finally(() => running--);
  };
  return { fetch, started, gates, most: () => most };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("prefetch starts files in message order, at most `concurrency` at once", async () => {
  const g = _gated();
  const p = new MediaPrefetch(g.fetch, { concurrency: 2 });
  for (let id = 1; id <= 5; id++) p.start(id, _file(`f${id}`), `/d/${id}`);
  await tick();
  assert.deepEqual(g.started, ["/d/1", "/d/2"]);
  const third = p.take(3, "/d/3")!;
  g.gates.get("/d/2")!.resolve(true);
  await tick();
  assert.deepEqual(g.started, ["/d/1", "/d/2", "/d/3"]);
  g.gates.get("/d/3")!.resolve(true);
  assert.equal(await third, true);
  assert.equal(p.take(3, "/d/3"), undefined, "taken once");
  for (const id of [1, 4, 5]) {
    await tick();
    g.gates.get(`/d/${id}`)?.resolve(true);
  }
  await tick();
  g.gates.get("/d/5")?.resolve(true);
  await p.close();
  assert.equal(g.most(), 2);
});

Deno.test("a failed prefetch is no unhandled rejection: it fails when its message takes it", async () => {
  const g = _gated();
  const p = new MediaPrefetch(g.fetch, { concurrency: 4 });
  p.start(1, _file("f1"), "/d/1");
  await tick();
  g.gates.get("/d/1")!.reject(new Error("boom"));
  await new Promise((r) => setTimeout(r, 10));
  await assert.rejects(p.take(1, "/d/1")!, /boom/);
  await p.close();
});

Deno.test("take for another destination than the one started gives nothing (the caller fetches)", async () => {
  const g = _gated();
  const p = new MediaPrefetch(g.fetch, { concurrency: 1 });
  p.start(7, _file("f7"), "/d/7");
  assert.equal(p.take(7, "/elsewhere/7"), undefined);
  assert.equal(p.take(8, "/d/8"), undefined);
  await p.close();
});

Deno.test("the same remote file for two messages is fetched one after the other", async () => {
  const g = _gated();
  const p = new MediaPrefetch(g.fetch, { concurrency: 4 });
  p.start(1, _file("same"), "/d/1");
  p.start(2, _file("same"), "/d/2");
  await tick();
  assert.deepEqual(g.started, ["/d/1"]);
  g.gates.get("/d/1")!.resolve(true);
  await tick();
  await tick();
  assert.deepEqual(g.started, ["/d/1", "/d/2"]);
  g.gates.get("/d/2")!.resolve(true);
  assert.equal(await p.take(2, "/d/2"), true);
  await p.close();
});

Deno.test("close aborts what still runs and waits for it", async () => {
  const g = _gated();
  const p = new MediaPrefetch(g.fetch, { concurrency: 1 });
  p.start(1, _file("a"), "/d/1");
  p.start(2, _file("b"), "/d/2");
  await tick();
  await p.close();
  assert.equal(g.most(), 1);
  p.start(3, _file("c"), "/d/3");
  assert.equal(p.take(3, "/d/3"), undefined, "nothing starts after close");
});
