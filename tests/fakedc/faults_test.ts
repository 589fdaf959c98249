import assert from "node:assert/strict";
import { defaultFaults, makeRng, parseFaults } from "./faults.ts";

Deno.test("parseFaults reads every key of the documented example", () => {
  const f = parseFaults(
    "rtt=30,bw=8M,flood=0.05,flood_s=2,rule=messages.GetHistory:30/10,disconnect=0.01,timeout=0.01," +
      "stall=0.01,stall_ms=20000,file_ref_ttl=60,takeout_delay=10,migrate=0.05,upload_parts=40," +
      "upload_parts_premium=80,part_ttl=600",
  );
  assert.deepEqual(f, {
    rttMs: 30,
    bandwidthBps: 8 * 1024 * 1024,
    floodP: 0.05,
    floodSeconds: 2,
    floodRules: [{ method: "messages.GetHistory", requests: 30, windowS: 10 }],
    disconnectP: 0.01,
    timeoutP: 0.01,
    stallP: 0.01,
    stallMs: 20000,
    fileRefTtlS: 60,
    takeoutDelayS: 10,
    migrateP: 0.05,
    errorRules: [],
    corruptP: 0,
    corruptFiles: [],
    uploadMaxParts: 40,
    uploadMaxPartsPremium: 80,
    partTtlS: 600,
  });
});

Deno.test("parseFaults reads error rules (with and without a target) and corruption", () => {
  const f = parseFaults(
    "fail=messages.GetHistory:400/CHANNEL_PRIVATE@1700000000,fail=upload.GetFile:400/FILE_ID_INVALID," +
      "corrupt=0.5,corrupt_file=42,corrupt_file=43",
  );
  assert.deepEqual(f.errorRules, [
    { method: "messages.GetHistory", code: 400, message: "CHANNEL_PRIVATE", target: "1700000000" },
    { method: "upload.GetFile", code: 400, message: "FILE_ID_INVALID" },
  ]);
  assert.equal(f.corruptP, 0.5);
  assert.deepEqual(f.corruptFiles, ["42", "43"]);
  assert.throws(() => parseFaults("fail=messages.GetHistory:CHANNEL_PRIVATE"), RangeError);
  assert.throws(() => parseFaults("fail=messages.GetHistory:400/private"), RangeError);
  assert.throws(() => parseFaults("corrupt=2"), RangeError);
  assert.throws(() => parseFaults("corrupt_file=abc"), RangeError);
});

Deno.test("parseFaults of an empty spec is the default", () => {
  assert.deepEqual(parseFaults(""), defaultFaults());
  assert.deepEqual(parseFaults(" , "), defaultFaults());
});

Deno.test("parseFaults accepts byte suffixes and repeated rules", () => {
  const f = parseFaults("bw=512K,rule=a.B:1/1,rule=c.D:5/0.5@1000001");
  assert.equal(f.bandwidthBps, 512 * 1024);
  assert.deepEqual(f.floodRules, [
    { method: "a.B", requests: 1, windowS: 1 },
    { method: "c.D", requests: 5, windowS: 0.5, user: "1000001" },
  ]);
});

Deno.test("parseFaults rejects unknown keys and bad values with RangeError", () => {
  assert.throws(() => parseFaults("nope=1"), { name: "RangeError", message: /Unknown fault "nope"/ });
  assert.throws(() => parseFaults("flood=2"), RangeError);
  assert.throws(() => parseFaults("rtt=-1"), RangeError);
  assert.throws(() => parseFaults("rtt"), RangeError);
  assert.throws(() => parseFaults("bw=fast"), RangeError);
  assert.throws(() => parseFaults("rule=GetHistory"), RangeError);
  assert.throws(() => parseFaults("rule=a.B:1/1@me"), RangeError);
});

Deno.test("makeRng is deterministic per seed and uniform enough", () => {
  const a = makeRng(42), b = makeRng(42), c = makeRng(43);
  const xs = Array.from({ length: 1000 }, a);
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, b));
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
});
