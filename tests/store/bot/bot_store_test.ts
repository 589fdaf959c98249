import assert from "node:assert/strict";
import { openBotStore } from "../../../lib/store/bot/bot_store.ts";
import { DEFAULT_BOT_SETTINGS } from "../../../lib/core/bot_records.ts";
import { NotFoundError } from "../../../lib/core/errors.ts";

function clock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

Deno.test("bot store: users are recorded on first contact, found by username prefix and id, banned once noticed", async () => {
  const c = clock();
  const s = await openBotStore(":memory:", { now: c.now });
  try {
    const a = await s.users.seen({ id: "100", username: "Alice_X", first_name: "Alice" });
    assert.equal(a.created, true);
    c.t += 1000;
    const again = await s.users.seen({ id: "100", username: "alicia", first_name: "Alice" });
    assert.equal(again.created, false);
    assert.equal(again.user.first_seen, 1_700_000_000_000);
    assert.equal(again.user.last_seen, 1_700_000_001_000);
    await s.users.seen({ id: "200", username: "bob" });
    await s.users.seen({ id: "300", username: "ALIBABA" });
    // the old username left the index when it changed
    assert.deepEqual((await s.users.list({ search: "@ali" })).map((u) => u.id), ["300", "100"]);
    assert.deepEqual((await s.users.list({ search: "alice" })).map((u) => u.id), []);
    assert.deepEqual((await s.users.list({ search: "200" })).map((u) => u.id), ["200"]);
    assert.deepEqual((await s.users.list()).map((u) => u.id), ["100", "200", "300"]);
    await s.users.setBanned("200", true);
    assert.deepEqual((await s.users.list({ banned: true })).map((u) => u.id), ["200"]);
    assert.equal(await s.users.claimBanNotice("200"), true);
    assert.equal(await s.users.claimBanNotice("200"), false);
    assert.equal(await s.users.claimBanNotice("100"), false, "not banned: no notice");
    await s.users.setBanned("200", false);
    await s.users.setBanned("200", true);
    assert.equal(await s.users.claimBanNotice("200"), true, "a new ban notifies again");
    await assert.rejects(s.users.setPremium("999", true), NotFoundError);
  } finally {
    s.close();
  }
});

Deno.test("bot store: download history moves between status indexes and filters by user, status, platform", async () => {
  const c = clock();
  const s = await openBotStore(":memory:", { now: c.now });
  try {
    const made = [];
    for (let i = 0; i < 6; i++) {
      c.t += 10;
      made.push(
        await s.downloads.create({
          user_id: i % 2 ? "1" : "2",
          url: `https://x/${i}`,
          platform: i < 3 ? "youtube" : "tiktok",
        }),
      );
    }
    await s.downloads.update(made[1].id, { status: "processing" });
    c.t += 10;
    const done = await s.downloads.update(made[1].id, { status: "completed", size: 123, title: "T" });
    assert.equal(done.times.pending, made[1].created_at);
    assert.equal(done.times.completed, c.t);
    await s.downloads.update(made[4].id, { status: "failed", error: "Private video" });
    await s.users.seen({ id: "1" });
    await s.users.seen({ id: "2" });
    // completing counts once, however often the record is updated after
    await s.downloads.update(made[1].id, { status: "completed", size: 124 });
    assert.deepEqual((await s.users.list()).map((u) => [u.id, u.download_count]), [["1", 1], ["2", 0]]);
    assert.equal((await s.users.get("1"))?.download_count, 1);
    const ids = (q: Parameters<typeof s.downloads.list>[0]) =>
      s.downloads.list(q).then((l) => l.map((d) => d.url));
    assert.deepEqual(await ids({}), [
      "https://x/5",
      "https://x/4",
      "https://x/3",
      "https://x/2",
      "https://x/1",
      "https://x/0",
    ]);
    assert.deepEqual(await ids({ status: "completed" }), ["https://x/1"]);
    assert.deepEqual(await ids({ status: "pending" }), [
      "https://x/5",
      "https://x/3",
      "https://x/2",
      "https://x/0",
    ]);
    assert.deepEqual(await ids({ user_id: "1" }), ["https://x/5", "https://x/3", "https://x/1"]);
    assert.deepEqual(await ids({ user_id: "1", status: "pending" }), ["https://x/5", "https://x/3"]);
    assert.deepEqual(await ids({ platform: "tiktok", status: "failed" }), ["https://x/4"]);
    assert.deepEqual(await ids({ limit: 2 }), ["https://x/5", "https://x/4"]);
    // by time: made[i] was created at start + 10 * (i + 1)
    const t0 = made[0].created_at;
    assert.deepEqual(await ids({ since: t0 + 20, until: t0 + 40 }), ["https://x/3", "https://x/2"]);
    assert.deepEqual(await ids({ since: t0 + 20, until: t0 + 40, user_id: "1" }), ["https://x/3"]);
    assert.deepEqual(await ids({ until: t0 + 10 }), ["https://x/0"]);
    assert.deepEqual(await s.downloads.platforms(), ["tiktok", "youtube"]);
    await assert.rejects(s.downloads.update("nope", { status: "failed" }), NotFoundError);
  } finally {
    s.close();
  }
});

Deno.test("bot store: settings have defaults, keep what is set, clear maintenance, refuse bad values", async () => {
  const s = await openBotStore(":memory:");
  try {
    assert.deepEqual(await s.settings.get(), DEFAULT_BOT_SETTINGS);
    await s.settings.update({ rate_limit_per_minute: 3, maintenance_message: "Back at 6" });
    const got = await s.settings.update({ enabled: false });
    assert.equal(got.rate_limit_per_minute, 3);
    assert.equal(got.maintenance_message, "Back at 6");
    assert.equal(got.enabled, false);
    assert.equal((await s.settings.update({ maintenance_message: null })).maintenance_message, undefined);
    await assert.rejects(s.settings.update({ max_file_size: 0 }), RangeError);
    await assert.rejects(s.settings.update({ maintenance_message: "  " }), RangeError);
    assert.equal((await s.settings.get()).max_file_size, DEFAULT_BOT_SETTINGS.max_file_size);
  } finally {
    s.close();
  }
});

Deno.test("bot store: a broadcast records each user's delivery once and counts it", async () => {
  const s = await openBotStore(":memory:");
  try {
    await assert.rejects(s.broadcasts.create({ text: " ", by: "cli" }), RangeError);
    const b = await s.broadcasts.create({ text: "hi", by: "cli" });
    assert.equal((await s.broadcasts.next())?.id, b.id);
    assert.equal(await s.broadcasts.recordDelivery(b.id, "1", "sent"), true);
    assert.equal(await s.broadcasts.recordDelivery(b.id, "1", "failed"), false);
    assert.equal(await s.broadcasts.recordDelivery(b.id, "2", "blocked"), true);
    assert.deepEqual(await s.broadcasts.counts(b.id), { sent: 1, failed: 0, blocked: 1 });
    assert.equal(await s.broadcasts.delivery(b.id, "1"), "sent");
    const sending = await s.broadcasts.setStatus(b.id, "sending");
    assert.ok(sending.started_at);
    await s.broadcasts.setStatus(b.id, "done");
    assert.equal(await s.broadcasts.next(), undefined);
  } finally {
    s.close();
  }
});

Deno.test("bot store: login tokens work once, expire, and are stored only hashed; data survives a reopen", async () => {
  const dir = await Deno.makeTempDir();
  const c = clock();
  const path = `${dir}/progress.kv`;
  try {
    const s = await openBotStore(path, { now: c.now });
    const token = await s.auth.createLogin(60_000);
    const late = await s.auth.createLogin(1_000);
    await s.users.seen({ id: "7", username: "kept" });
    s.close();
    const raw = await Deno.openKv(path);
    for await (const e of raw.list({ prefix: ["bot", "login"] })) {
      assert.ok(!JSON.stringify(e.key).includes(token), "the token itself is not stored");
    }
    raw.close();
    const s2 = await openBotStore(path, { now: c.now });
    try {
      assert.equal((await s2.users.get("7"))?.username, "kept");
      const opened = await s2.auth.redeemLogin(token, 3_600_000);
      assert.ok(opened);
      assert.equal(await s2.auth.redeemLogin(token, 3_600_000), undefined, "second use refused");
      assert.equal((await s2.auth.session(opened.session))?.csrf, opened.csrf);
      assert.equal(await s2.auth.session("forged"), undefined);
      c.t += 2_000;
      assert.equal(await s2.auth.redeemLogin(late, 3_600_000), undefined, "expired token refused");
      c.t += 3_600_000;
      assert.equal(await s2.auth.session(opened.session), undefined, "expired session refused");
    } finally {
      s2.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
