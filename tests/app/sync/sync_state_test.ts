import assert from "node:assert/strict";
import { SyncState, type SyncStateData } from "../../../lib/app/sync/sync_state.ts";
import { parseStateText, stateText } from "../../../lib/app/sync/state_sinks.ts";

const START: SyncStateData = {
  v: 1,
  chat: { id: 5, name: "c" },
  target: "gd:x",
  watermark: 10,
  files_downloaded: 0,
  files_uploaded: 0,
  bytes_uploaded: 0,
  gb_uploaded: 0,
  updated: "",
  status: "running",
};

Deno.test("sync state: the watermark advances only over a contiguous run of finished messages", async () => {
  const saved: SyncStateData[] = [];
  const s = new SyncState(START, (d) => Promise.resolve(void saved.push(d)), { every: 100, intervalMs: 1e9 });
  s.plan([15, 12, 20, 9]); // 9 is below the watermark: not waited for
  await s.finished(15, 100);
  assert.equal(s.data.watermark, 10, "12 is not done yet");
  await s.finished(12, 50);
  assert.equal(s.data.watermark, 15);
  await s.finished(20);
  assert.equal(s.data.watermark, 20);
  assert.equal(s.data.files_uploaded, 2, "a file found on the remote is not an upload");
  assert.equal(s.data.bytes_uploaded, 150);
  assert.deepEqual(saved, []);
});

Deno.test("sync state: saves every N files and after the interval, one at a time, with the status", async () => {
  let now = 0;
  const saved: SyncStateData[] = [];
  let inFlight = 0, most = 0;
  const sink = async (d: SyncStateData) => {
    most = Math.max(most, ++inFlight);
    await Promise.resolve();
    saved.push(d);
    inFlight--;
  };
  const s = new SyncState(START, sink, { every: 2, intervalMs: 1000, now: () => now });
  s.plan([11, 12, 13, 14]);
  await s.finished(11, 1);
  assert.equal(saved.length, 0);
  await s.finished(12, 1);
  assert.equal(saved.length, 1);
  assert.equal(saved[0].watermark, 12);
  now = 1500;
  assert.equal(s.due(), true);
  await s.finished(13, 1);
  assert.equal(saved.length, 2, "the interval passed");
  await Promise.all([s.save("stopped"), s.save("quota")]);
  assert.equal(most, 1, "never two saves at once");
  assert.deepEqual(saved.map((d) => d.status), ["running", "running", "stopped", "quota"]);
  assert.equal(saved[3].updated, new Date(1500).toISOString());
});

Deno.test("sync state text: tag line then JSON; another tag or broken JSON is not a state", () => {
  const text = stateText("tgpipe_sync_5_ab", START);
  assert.deepEqual(parseStateText("tgpipe_sync_5_ab", text), START);
  assert.equal(parseStateText("tgpipe_sync_6_ab", text), undefined);
  assert.equal(parseStateText("tgpipe_sync_5_ab", "tgpipe_sync_5_ab\n{oops"), undefined);
});
