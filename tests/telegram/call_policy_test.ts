import assert from "node:assert/strict";
import { LoginRequiredError, StoppedError, TelegramError } from "../../lib/core/errors.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import { callWithPolicy, floodSeconds, isTransient } from "../../lib/telegram/call_policy.ts";
import { RtoEstimator } from "../../lib/telegram/rto_estimator.ts";

/** Shapes of GramJS errors as the middleware sees them. */
const flood = (seconds: number) =>
  Object.assign(new Error(`A wait of ${seconds} seconds is required`), {
    code: 420,
    errorMessage: "FLOOD",
    seconds,
  });
const rpc = (code: number, errorMessage: string) =>
  Object.assign(new Error(errorMessage), { code, errorMessage });

function _script(outcomes: unknown[]): { fn: () => Promise<string>; calls: () => number } {
  let i = 0;
  return {
    fn: () => {
      const o = outcomes[i++];
      return o instanceof Error ? Promise.reject(o) : Promise.resolve(String(o));
    },
    calls: () => i,
  };
}

Deno.test("a flood wait pauses this account, reports it, then retries and completes", async () => {
  const events: EventBody[] = [];
  const s = _script([flood(0), flood(0), "ok"]);
  const t0 = Date.now();
  const got = await callWithPolicy(s.fn, "messages.GetHistory", {
    emit: (e) => events.push(e),
    account: "+155*****01",
  });
  assert.equal(got, "ok");
  assert.equal(s.calls(), 3);
  const pauses = events.filter((e) => e.type === "pause");
  assert.equal(pauses.length, 2);
  assert.deepEqual(pauses[0], {
    type: "pause",
    reason: "flood_wait",
    seconds: 0,
    account: "+155*****01",
    method: "messages.GetHistory",
  });
  assert.ok(Date.now() - t0 < 1000);
});

Deno.test("a flood wait really waits its seconds", async () => {
  const s = _script([flood(1), "ok"]);
  const t0 = performance.now();
  assert.equal(await callWithPolicy(s.fn, "m"), "ok");
  assert.ok(performance.now() - t0 >= 990);
});

Deno.test("flood waits are bounded: too many or too long become a TelegramError", async () => {
  const many = _script([flood(0), flood(0), flood(0)]);
  const e1 = await callWithPolicy(many.fn, "m", { maxFloodWaits: 2 }).catch((e) => e);
  assert.ok(e1 instanceof TelegramError);
  assert.equal(e1.rpcCode, 420);
  assert.equal(many.calls(), 3);
  const long = _script([flood(7200)]);
  const e2 = await callWithPolicy(long.fn, "m", { maxFloodSeconds: 60 }).catch((e) => e);
  assert.ok(e2 instanceof TelegramError && e2.rpcMessage === "FLOOD_WAIT_7200");
});

Deno.test("transient failures retry with growing, jittered delays", async () => {
  const events: EventBody[] = [];
  const s = _script([rpc(500, "INTERNAL"), new Error("Not connected"), "ok"]);
  const got = await callWithPolicy(s.fn, "m", {
    emit: (e) => events.push(e),
    baseDelayMs: 2,
    random: () => 0.5,
  });
  assert.equal(got, "ok");
  const retries = events.filter((e) => e.type === "retry");
  assert.deepEqual(retries.map((e) => e.type === "retry" && [e.attempt, e.delay_ms]), [[1, 3], [2, 5]]);
  const stuck = _script([rpc(500, "INTERNAL"), rpc(500, "INTERNAL"), rpc(500, "INTERNAL")]);
  const err = await callWithPolicy(stuck.fn, "m", { maxRetries: 2, baseDelayMs: 1 }).catch((e) => e);
  assert.ok(err instanceof TelegramError && err.rpcCode === 500);
  assert.equal(stuck.calls(), 3);
});

Deno.test("dropDelayMs: a lost connection backs off from its own base, a server error or refusal from baseDelayMs", async () => {
  // FilePool retries a dropped connection's requests on the others: the 500 ms base put a faulted
  // download's part (and the flood wait it drew next) 0.5-0.75 s later (`bench faults`)
  const delays = async (outcomes: unknown[]) => {
    const events: EventBody[] = [];
    await callWithPolicy(_script(outcomes).fn, "m", {
      emit: (e) => events.push(e),
      baseDelayMs: 40,
      dropDelayMs: 4,
      random: () => 0,
    });
    return events.flatMap((e) => e.type === "retry" ? [e.delay_ms] : []);
  };
  assert.deepEqual(await delays([new Error("Connection closed (dropped by the file pool)"), "ok"]), [4]);
  assert.deepEqual(await delays([new Error("Not connected"), new Error("ECONNRESET"), "ok"]), [4, 8]);
  assert.deepEqual(await delays([rpc(500, "INTERNAL"), "ok"]), [40]);
  assert.deepEqual(
    await delays([new Error("Connection refused"), "ok"]),
    [40],
    "a DC refusing connections is not hurried",
  );
});

Deno.test("a call that never answers times out and is retried", async () => {
  let n = 0;
  const fn = () => (n++ === 0 ? new Promise<string>(() => {}) : Promise.resolve("late ok"));
  assert.equal(await callWithPolicy(fn, "m", { timeoutMs: 20, baseDelayMs: 1 }), "late ok");
});

Deno.test("revoked sessions become LoginRequiredError; other RPC errors carry code and message", async () => {
  for (
    const msg of [
      "AUTH_KEY_UNREGISTERED",
      "SESSION_REVOKED",
      "USER_DEACTIVATED",
      "AUTH_KEY_INVALID",
      "AUTH_KEY_DUPLICATED",
    ]
  ) {
    const err = await callWithPolicy(_script([rpc(401, msg)]).fn, "m").catch((e) => e);
    assert.ok(err instanceof LoginRequiredError, msg);
    assert.equal(err.exitCode, 4);
  }
  const err = await callWithPolicy(_script([rpc(400, "PEER_ID_INVALID")]).fn, "messages.GetHistory").catch((
    e,
  ) => e);
  assert.ok(err instanceof TelegramError);
  assert.deepEqual([err.rpcCode, err.rpcMessage, err.exitCode], [400, "PEER_ID_INVALID", 1]);
  assert.match(err.message, /messages\.GetHistory/);
});

Deno.test("an abort stops a flood wait at once", async () => {
  const ac = new AbortController();
  const s = _script([flood(30), "ok"]);
  const p = callWithPolicy(s.fn, "m", { signal: ac.signal });
  setTimeout(() => ac.abort(new StoppedError("Stopped by test")), 10);
  const t0 = performance.now();
  await assert.rejects(p, StoppedError);
  assert.ok(performance.now() - t0 < 1000);
});

Deno.test("floodSeconds and isTransient read GramJS error shapes", () => {
  assert.equal(floodSeconds(flood(12)), 12);
  assert.equal(floodSeconds(rpc(420, "FLOOD_WAIT_9")), 9);
  assert.equal(floodSeconds(rpc(400, "PEER_ID_INVALID")), undefined);
  assert.equal(isTransient(rpc(-503, "Timeout")), true);
  assert.equal(isTransient(new Error("Connection closed")), true);
  assert.equal(isTransient(rpc(400, "MESSAGE_ID_INVALID")), false);
});

Deno.test("handoff: a flood wait another account can take pauses this one and fails at once, no resume", async () => {
  const events: EventBody[] = [];
  const asked: number[] = [];
  const s = _script([flood(30), "ok"]);
  const t0 = Date.now();
  const err = await callWithPolicy(s.fn, "upload.GetFile", {
    emit: (e) => events.push(e),
    account: "+155*****01",
    handoff: (seconds) => (asked.push(seconds), true),
  }).catch((e) => e);
  assert.ok(err instanceof TelegramError);
  assert.equal(err.rpcCode, 420);
  assert.equal(err.rpcMessage, "FLOOD_WAIT_30");
  assert.equal(s.calls(), 1);
  assert.deepEqual(asked, [30]);
  assert.ok(Date.now() - t0 < 1000, "nothing was slept");
  assert.deepEqual(events, [
    { type: "pause", reason: "flood_wait", seconds: 30, account: "+155*****01", method: "upload.GetFile" },
  ]);
});

Deno.test("handoff: when no other account is free the wait is slept here, as without the hook", async () => {
  const events: EventBody[] = [];
  const s = _script([flood(0), "ok"]);
  const got = await callWithPolicy(s.fn, "upload.GetFile", {
    emit: (e) => events.push(e),
    handoff: () => false,
  });
  assert.equal(got, "ok");
  assert.deepEqual(events.map((e) => e.type), ["pause", "resume"]);
});

Deno.test("onTrouble is told of each flood wait, copy and retry of the call, and not of a clean one", async () => {
  let told = 0;
  const onTrouble = () => told++;
  assert.equal(await callWithPolicy(_script(["ok"]).fn, "m", { onTrouble }), "ok");
  assert.equal(told, 0);
  // told before the wait is slept (the retry had not gone out yet): the caller can start other work
  const slow = _script([flood(0), "ok"]);
  let callsWhenTold = -1;
  assert.equal(await callWithPolicy(slow.fn, "m", { onTrouble: () => (callsWhenTold = slow.calls()) }), "ok");
  assert.equal(callsWhenTold, 1);
  await callWithPolicy(_script([rpc(500, "INTERNAL"), "ok"]).fn, "m", { onTrouble, baseDelayMs: 1 });
  assert.equal(told, 1, "a retry");
  // a copy of an unanswered request (the hedge)
  let n = 0;
  const lost = () => (n++ === 0 ? new Promise<string>(() => {}) : Promise.resolve("copy ok"));
  assert.equal(
    await callWithPolicy(lost, "m", {
      onTrouble,
      hedge: { rto: new RtoEstimator({ floorMs: 1, initialMs: 5 }) },
    }),
    "copy ok",
  );
  assert.equal(told, 2, "a copy");
});
