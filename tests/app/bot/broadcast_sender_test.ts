import assert from "node:assert/strict";
import { sendBroadcast, sendQueuedBroadcasts } from "../../../lib/app/bot/broadcast_sender.ts";
import { openBotStore } from "../../../lib/store/bot/bot_store.ts";
import type { BotStore } from "../../../lib/store/bot/bot_store.ts";
import type { EventBody } from "../../../lib/progress/events.ts";
import { StrictBotApi } from "./_strict_bot_api.ts";

async function withUsers(n: number, fn: (s: BotStore, ids: string[]) => Promise<void>, path = ":memory:") {
  const s = await openBotStore(path);
  try {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = String(1000 + i);
      ids.push(id);
      await s.users.seen({ id, username: `user${i}` });
    }
    await fn(s, ids);
  } finally {
    s.close();
  }
}

Deno.test("broadcast: every non-banned user gets it once, blocked users are marked, within 30/s", async () => {
  await withUsers(45, async (s, ids) => {
    const api = new StrictBotApi();
    api.blocked.add(ids[3]).add(ids[10]);
    await s.users.setBanned(ids[5], true);
    const bc = await s.broadcasts.create({ text: "News", by: "test" });
    const events: EventBody[] = [];
    const report = await sendBroadcast(api, s, bc.id, {
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
    });
    assert.deepEqual(api.violations, []);
    assert.deepEqual(report, { broadcast: bc.id, total: 44, sent: 42, failed: 0, blocked: 2 });
    const got = api.countByChat();
    assert.equal(got.size, 42);
    assert.ok([...got.values()].every((n) => n === 1));
    assert.equal(got.has(ids[5]), false, "banned user left out");
    assert.equal((await s.users.get(ids[3]))?.blocked_bot, true);
    assert.equal((await s.broadcasts.get(bc.id))?.status, "done");
    const last = events.at(-1);
    assert.deepEqual(last, {
      type: "broadcast_progress",
      broadcast: bc.id,
      sent: 42,
      failed: 0,
      blocked: 2,
      total: 44,
      done: true,
    });
    // 42 messages at 30/s take more than a second: the pacer spread them
    assert.ok(api.sent.at(-1)!.at - api.sent[0].at >= 1000, "spread over more than a second");
  });
});

Deno.test("broadcast: a FLOOD_WAIT holds every send until it ends, then the same user is sent again", async () => {
  await withUsers(12, async (s) => {
    const api = new StrictBotApi();
    api.floodOnSend.set(4, 1);
    const bc = await s.broadcasts.create({ text: "x", by: "test" });
    const events: EventBody[] = [];
    const report = await sendBroadcast(api, s, bc.id, {
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
    });
    assert.deepEqual(api.violations, []);
    assert.equal(report.sent, 12);
    assert.ok(events.some((e) => e.type === "pause" && e.reason === "flood_wait" && e.seconds === 1));
    assert.ok([...api.countByChat().values()].every((n) => n === 1));
  });
});

Deno.test("broadcast: the strict fake catches a sender that goes faster than Telegram allows", async () => {
  await withUsers(40, async (s) => {
    const api = new StrictBotApi();
    const bc = await s.broadcasts.create({ text: "x", by: "test" });
    const report = await sendBroadcast(api, s, bc.id, {
      signal: new AbortController().signal,
      perSecond: 1000,
    });
    assert.ok(api.violations.length > 0, "too fast is refused");
    assert.equal(report.sent, 40, "and the FLOOD_WAITs it got were still honoured to the end");
  });
});

Deno.test("broadcast: stopped half-way, a new run continues where it stopped and nobody gets it twice", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/progress.kv`;
    let id = "";
    await withUsers(20, async (s) => {
      id = (await s.broadcasts.create({ media_path: "/tmp/clip.mp4", text: "caption", by: "test" })).id;
    }, path);
    const api = new StrictBotApi();
    const stop = new AbortController();
    api.onSent = () => {
      if (api.sent.length === 7) stop.abort(new Error("stop"));
    };
    const s1 = await openBotStore(path);
    try {
      await assert.rejects(sendBroadcast(api, s1, id, { signal: stop.signal }));
      assert.equal((await s1.broadcasts.get(id))?.status, "sending");
    } finally {
      s1.close();
    }
    const firstRun = api.sent.length;
    assert.ok(firstRun >= 7 && firstRun < 20, `first run sent ${firstRun}`);
    api.onSent = undefined;
    const s2 = await openBotStore(path);
    try {
      const reports = await sendQueuedBroadcasts(api, s2, { signal: new AbortController().signal });
      assert.equal(reports.length, 1);
      assert.equal(reports[0].sent, 20);
      assert.equal(api.sent.length, 20, "each user once over both runs");
      assert.ok([...api.countByChat().values()].every((n) => n === 1));
      assert.deepEqual(api.sent[0].file, { path: "/tmp/clip.mp4", caption: "caption", as: "media" });
      assert.deepEqual(await sendQueuedBroadcasts(api, s2, { signal: new AbortController().signal }), []);
    } finally {
      s2.close();
    }
    assert.deepEqual(api.violations, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("broadcast: a cancel stops the sender within a few dozen messages and is never undone", async () => {
  await withUsers(80, async (s) => {
    const api = new StrictBotApi();
    const bc = await s.broadcasts.create({ text: "oops", by: "test" });
    let cancelled: Promise<unknown> | undefined;
    api.onSent = () => {
      if (api.sent.length === 5) {
        cancelled = s.broadcasts.setStatus(bc.id, "cancelled", ["queued", "sending"]);
      }
    };
    const report = await sendBroadcast(api, s, bc.id, { signal: new AbortController().signal });
    await cancelled;
    assert.equal((await s.broadcasts.get(bc.id))?.status, "cancelled", "not turned into done");
    assert.ok(api.sent.length < 50, `stopped after ${api.sent.length}`);
    assert.equal(report.sent, api.sent.length);
    const again = await sendQueuedBroadcasts(api, s, { signal: new AbortController().signal });
    assert.deepEqual(again, [], "a cancelled broadcast is not picked up again");
  });
});
