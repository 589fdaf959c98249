import assert from "node:assert/strict";
import { slidingWindow } from "../../../lib/app/bot/rate_window.ts";
import { admit, fileSizeRefusal, maxFileSizeFor, rateLimitFor } from "../../../lib/app/bot/bot_policy.ts";
import { checkRequest } from "../../../lib/app/bot/check_request.ts";
import { DEFAULT_BOT_SETTINGS } from "../../../lib/core/bot_records.ts";
import { openBotStore } from "../../../lib/store/bot/bot_store.ts";

Deno.test("rate window: N per minute, sliding, with the wait until a slot frees", () => {
  let times: number[] = [];
  const take = (now: number) => {
    const d = slidingWindow(times, now, { limit: 3 });
    times = d.times;
    return d.result;
  };
  assert.equal(take(0).allowed, true);
  assert.equal(take(10_000).allowed, true);
  assert.deepEqual(take(20_000), { allowed: true, remaining: 0, retry_after_ms: 0 });
  assert.deepEqual(take(30_000), { allowed: false, remaining: 0, retry_after_ms: 30_000 });
  // the first request leaves the window at 60 s: one slot again, not three
  assert.equal(take(60_001).allowed, true);
  assert.equal(take(60_002).allowed, false);
  assert.equal(take(70_001).allowed, true);
  assert.ok(times.length <= 3, "old times are dropped");
});

Deno.test("policy: banned first (one notice), then disabled, then maintenance; admins pass all but a ban", () => {
  const s = { ...DEFAULT_BOT_SETTINGS, enabled: false, maintenance_message: "Back at six" };
  assert.deepEqual(admit({ banned: true }, s, { firstBanNotice: true }).kind, "banned");
  assert.ok(admit({ banned: true }, s, { firstBanNotice: true }).kind === "banned");
  assert.equal(
    (admit({ banned: true }, s, { firstBanNotice: false }) as { reply?: string }).reply,
    undefined,
  );
  assert.equal(admit({ banned: false }, s).kind, "disabled");
  assert.deepEqual(admit({ banned: false }, { ...s, enabled: true }), {
    kind: "maintenance",
    reply: "Back at six",
  });
  assert.equal(admit({ banned: false }, s, { admin: true }).kind, "serve");
  assert.equal(admit({ banned: true }, s, { admin: true }).kind, "banned");
  assert.equal(admit({ banned: false }, DEFAULT_BOT_SETTINGS).kind, "serve");
});

Deno.test("policy: premium users get the larger file size and rate limits", () => {
  const s = { ...DEFAULT_BOT_SETTINGS, max_file_size: 100, premium_max_file_size: 1000 };
  assert.equal(maxFileSizeFor({ premium: false }, s), 100);
  assert.equal(maxFileSizeFor({ premium: true }, s), 1000);
  assert.match(fileSizeRefusal(101, { premium: false }, s)!, /limit \(premium users get a larger one\)/);
  assert.equal(fileSizeRefusal(101, { premium: true }, s), undefined);
  assert.equal(fileSizeRefusal(100, { premium: false }, s), undefined);
  assert.equal(rateLimitFor({ premium: true }, s), s.premium_rate_limit_per_minute);
  assert.equal(rateLimitFor({ premium: false }, s), s.rate_limit_per_minute);
});

Deno.test("checkRequest: the rate limit survives a restart and a banned user gets one reply, ever", async () => {
  const dir = await Deno.makeTempDir();
  const clock = { t: 1_700_000_000_000 };
  const path = `${dir}/p.kv`;
  try {
    const s1 = await openBotStore(path, { now: () => clock.t });
    await s1.settings.update({ rate_limit_per_minute: 2 });
    const from = { id: "42", username: "eve" };
    assert.equal((await checkRequest(s1, from)).admission.kind, "serve");
    assert.equal((await checkRequest(s1, from, { counts: false })).admission.kind, "serve");
    assert.equal((await checkRequest(s1, from)).admission.kind, "serve");
    s1.close();
    const s2 = await openBotStore(path, { now: () => clock.t });
    try {
      const limited = await checkRequest(s2, from);
      assert.equal(limited.admission.kind, "rate_limited");
      assert.match((limited.admission as { reply: string }).reply, /at most 2 a minute/);
      clock.t += 60_001;
      assert.equal((await checkRequest(s2, from)).admission.kind, "serve");
      await s2.users.setBanned("42", true);
      const first = await checkRequest(s2, from);
      assert.deepEqual(first.admission, { kind: "banned", reply: "You are banned from using this bot." });
      assert.deepEqual((await checkRequest(s2, from)).admission, { kind: "banned" });
      assert.ok((await s2.users.get("42"))?.ban_notice_at, "the notice is recorded");
      await s2.settings.update({ maintenance_message: "Upgrading" });
      assert.deepEqual((await checkRequest(s2, { id: "43" })).admission, {
        kind: "maintenance",
        reply: "Upgrading",
      });
      assert.equal((await checkRequest(s2, { id: "43" }, { admin: true })).admission.kind, "serve");
    } finally {
      s2.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkRequest: requests at the same moment cannot both take the last slot", async () => {
  const s = await openBotStore(":memory:");
  try {
    await s.settings.update({ rate_limit_per_minute: 2 });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => checkRequest(s, { id: "7", username: "fast" })),
    );
    assert.equal(results.filter((r) => r.admission.kind === "serve").length, 2);
    assert.equal(results.filter((r) => r.admission.kind === "rate_limited").length, 4);
  } finally {
    s.close();
  }
});
