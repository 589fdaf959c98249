/**
 * `deno task bench bot [users] [links]`: the bot under load. `tgpipe bot` runs as its own process
 * against the fake DC (real sockets), with the loopback grab site and real yt-dlp; `users` GramJS
 * users (default 50) each send `links` links (default 10) at once. Counts: every message answered
 * exactly once (a "Looking at the link…" or the rate-limit reply), the rate limit (5/min) held
 * per user, each admitted link's keyboard shown (or why not); every fifth user downloads a video
 * (yt-dlp, ffmpeg, upload) while the rest goes on; the bot's resident memory (VmRSS) before the
 * load, at half the answers and at the end, and its peak (VmHWM); what the users' clients got
 * pushed and what they had to catch up with getDifference (_user_sync.ts). Prints one JSON line.
 */
import { Api } from "telegram";
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import { startSite } from "../tests/grab/_site.ts";
import { type BotProcess, spawnBot } from "../tests/telegram/_bot_process.ts";
import { botMessages, botSays, type BotUserClient, startUserAs } from "../tests/telegram/_bot_run_world.ts";

const USERS = Number(Deno.args[0] ?? 50);
const LINKS = Number(Deno.args[1] ?? 10);
const RATE = 5;
/** Every so many users presses 360p on its first keyboard: downloads and uploads under load. */
const DOWNLOAD_EVERY = 5;

const work = await Deno.makeTempDir({ prefix: "tgpipe-bench-bot-" });
const tg = await startFakeTelegram({
  world: `gen:chats=1,messages=1,files=0,forum=0,comments=0,users=${USERS}`,
  basePort: 0,
});
const site = await startSite();
const users: BotUserClient[] = [];
let bot: BotProcess | undefined;
try {
  bot = await spawnBot(tg, work, ["--rate-limit", `${RATE}/min`]);
  const pid = bot.pid;
  const rss: Record<string, number> = { start: await _rss(pid, "VmRSS") };
  for (let i = 0; i < USERS; i++) users.push(await startUserAs(tg, 2000000n + BigInt(i)));
  const total = USERS * LINKS;
  let answered = 0;
  const t0 = performance.now();
  const results = await Promise.all(users.map((u, i) =>
    _user(u, i, async () => {
      if (++answered === Math.ceil(total / 2)) rss.mid = await _rss(pid, "VmRSS");
    })
  ));
  rss.end = await _rss(pid, "VmRSS");
  const peak = await _rss(pid, "VmHWM");
  const elapsed = (performance.now() - t0) / 1000;
  // what went wrong while it ran (the stop itself is an error event: exit 75)
  const warnings = bot.events.all.filter((e) => e.type === "warning" || e.type === "error");
  const code = await bot.stop();
  const sum = (f: (r: UserResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const syncs = users.map((u) => u.sync.stats);
  console.log(JSON.stringify({
    users: USERS,
    links_per_user: LINKS,
    requests: total,
    answered,
    not_exactly_once: sum((r) => r.duplicates),
    admitted: sum((r) => r.admitted),
    rate_limited: total - sum((r) => r.admitted),
    max_admitted_per_user: Math.max(...results.map((r) => r.admitted)),
    // by the reply times: an approximation (a reply leaves when the per-chat pace lets it)
    max_admitted_per_user_in_60s: Math.max(...results.map((r) => r.inMinute)),
    rate_limit_per_minute: RATE,
    keyboards: sum((r) => r.keyboards),
    link_failures: sum((r) => r.failures),
    downloads_pressed: sum((r) => r.pressed),
    files_received: sum((r) => r.files),
    rss_mib_start: rss.start,
    rss_mib_mid: rss.mid,
    rss_mib_end: rss.end,
    peak_rss_mib: peak,
    elapsed_s: Math.round(elapsed),
    requests_per_s: Math.round(total / elapsed * 10) / 10,
    bot_exit_code: code,
    bot_warnings: warnings.slice(0, 5).map((e) => JSON.stringify(e).slice(0, 300)),
    // the users' clients: what came pushed, what only getDifference brought (a lost push), reconnections
    client_pushed: syncs.reduce((n, s) => n + s.pushed, 0),
    client_recovered: syncs.reduce((n, s) => n + s.recovered, 0),
    client_late_duplicates: syncs.reduce((n, s) => n + s.duplicates, 0),
    client_reconnects: syncs.reduce((n, s) => n + s.reconnects, 0),
    client_recovered_without_reconnect: syncs.filter((s) => s.reconnects === 0)
      .reduce((n, s) => n + Math.max(0, s.recovered - s.duplicates), 0),
    client_differences: {
      gap: syncs.reduce((n, s) => n + s.differences.gap, 0),
      reconnect: syncs.reduce((n, s) => n + s.differences.reconnect, 0),
      idle: syncs.reduce((n, s) => n + s.differences.idle, 0),
    },
    load: (await Deno.readTextFile("/proc/loadavg")).trim(),
  }));
} catch (err) {
  // the bot's own account of what went wrong, beside the client's
  for (const e of bot?.events.all ?? []) {
    if (e.type === "warning" || e.type === "error") console.error(JSON.stringify(e).slice(0, 300));
  }
  throw err;
} finally {
  await bot?.kill();
  for (const u of users) await u.close();
  await site.close();
  await tg.close();
  await Deno.remove(work, { recursive: true });
}

interface UserResult {
  admitted: number;
  duplicates: number;
  inMinute: number;
  keyboards: number;
  failures: number;
  pressed: number;
  files: number;
}

/**
 * One user: sends its links at once, waits for every answer (in order), then every admitted link's
 * keyboard (or the reason it has none); every DOWNLOAD_EVERYth user presses 360p on its first
 * keyboard and waits for the file; then checks each link was answered exactly once.
 */
async function _user(u: BotUserClient, i: number, onAnswer: () => Promise<void>): Promise<UserResult> {
  const ids: number[] = [];
  for (let k = 0; k < LINKS; k++) ids.push(await u.send(`${site.base}/page.html?u=${i}&k=${k}`));
  // first every message's answer (they come at once), then the keyboards (yt-dlp, a few at once)
  const looking: number[] = [];
  const admittedAt: number[] = [];
  for (const id of ids) {
    // Telegram (and the fake DC) let a bot send about one message a second per chat: patience
    const r = await _patient(u, `user ${i}: reply to ${id}`, botSays(/./, { replyTo: id }));
    if (/^Looking/.test(r.message.message)) {
      looking.push(r.message.id);
      admittedAt.push(r.message.date);
    } else if (!/^Too many requests/.test(r.message.message)) {
      throw new Error(`unexpected: ${r.message.message}`);
    }
    await onAnswer();
  }
  let keyboards = 0, failures = 0, pressed = 0, files = 0;
  for (const id of looking) {
    const edit = await _patient(
      u,
      `user ${i}: keyboard of ${id}`,
      (x): x is Api.UpdateEditMessage => botSays(/./, { edited: true })(x) && x.message.id === id,
    );
    if (!/Pick a quality/.test((edit.message as Api.Message).message)) {
      failures++;
      continue;
    }
    keyboards++;
    if (i % DOWNLOAD_EVERY === 0 && pressed === 0) {
      pressed++;
      await u.press(id, "q:360p");
      await _patient(u, `user ${i}: the file of ${id}`, botSays(/^Test clip with sources.*\nhttp/));
      await _patient(
        u,
        `user ${i}: ${id} says sent`,
        (x): x is Api.UpdateEditMessage => botSays(/Sent \(/, { edited: true })(x) && x.message.id === id,
      );
      files++;
    }
  }
  // a last message: the chat is answered in order, so a duplicate of an earlier reply would be here by now
  const last = await u.send("/help");
  await _patient(u, `user ${i}: last`, botSays(/./, { replyTo: last }));
  const replies = botMessages(u).map((m) => (m.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId);
  const duplicates = ids.filter((id) => replies.filter((r) => r === id).length !== 1).length;
  // the limit is a sliding minute: replies spread over minutes (one a second per chat) admit more in all
  const inMinute = Math.max(
    0,
    ...admittedAt.map((t) => admittedAt.filter((x) => x >= t && x < t + 60).length),
  );
  const filesSent = botMessages(u).filter((m) => m.media).length;
  if (filesSent !== files) throw new Error(`user ${i}: ${filesSent} files for ${files} presses`);
  return { admitted: looking.length, duplicates, inMinute, keyboards, failures, pressed, files };
}

// 250 links read by yt-dlp a few at once take minutes: each wait gets the inbox's deadline again
async function _patient<U extends Api.TypeUpdate>(
  u: BotUserClient,
  step: string,
  pred: (x: Api.TypeUpdate) => x is U,
): Promise<U> {
  for (let round = 1;; round++) {
    try {
      return await u.updates.next(step, pred);
    } catch (err) {
      if (round >= 10) throw new Error(`${(err as Error).message}\n${await _evidence(u)}`);
    }
  }
}

// What the client got against what the server's update log holds for it (read again from the
// start with getDifference): a push the client lost shows in the log only; a reply or edit the
// bot never made shows in neither.
async function _evidence(u: BotUserClient): Promise<string> {
  const line = (x: Api.TypeUpdate) => {
    const m = (x as Api.UpdateNewMessage).message as Api.Message | undefined;
    const to = (m?.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId;
    return `${x.className} pts=${(x as { pts?: number }).pts} id=${m?.id} to=${to} ${
      m?.message?.slice(0, 30)
    }`;
  };
  const got = u.updates.all.map(line);
  const log: string[] = [];
  let pts = 1;
  for (;;) {
    const d = await u.client.invoke(new Api.updates.GetDifference({ pts, date: 0, qts: 0 }));
    if (!(d instanceof Api.updates.Difference || d instanceof Api.updates.DifferenceSlice)) break;
    log.push(
      ...d.newMessages.map((m) => line(new Api.UpdateNewMessage({ message: m, pts: 0, ptsCount: 0 }))),
    );
    log.push(...d.otherUpdates.map(line));
    if (d instanceof Api.updates.Difference) break;
    pts = d.intermediateState.pts;
  }
  return `client got:\n  ${got.join("\n  ")}\nserver log:\n  ${log.join("\n  ")}\nsync: ${
    JSON.stringify(u.sync.stats)
  }`;
}

async function _rss(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}
