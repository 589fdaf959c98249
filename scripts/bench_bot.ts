/**
 * `deno task bench bot [users] [links]`: the bot under load. `tgpipe bot` runs as its own process
 * against the fake DC (real sockets), with the loopback grab site and real yt-dlp; `users` GramJS
 * users (default 50) each send `links` links (default 10) at once. Counts: every message answered
 * exactly once (a "Looking at the link…" or the rate-limit reply), the rate limit (5/min) held
 * per user, each admitted link's keyboard shown; the bot's resident memory (VmRSS) when 10 % and
 * 100 % of the requests were answered, and its peak (VmHWM). Prints one JSON line.
 */
import { Api } from "telegram";
import { join } from "node:path";
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";
import { FAKE_LOGIN } from "../tests/fakedc/world/login.ts";
import { startSite } from "../tests/grab/_site.ts";
import { botSays, type BotUserClient, startUserAs } from "../tests/telegram/_bot_run_world.ts";

const USERS = Number(Deno.args[0] ?? 50);
const LINKS = Number(Deno.args[1] ?? 10);
const RATE = 5;
const ROOT = new URL("..", import.meta.url).pathname;

const work = await Deno.makeTempDir({ prefix: "tgpipe-bench-bot-" });
const tg = await startFakeTelegram({
  world: `gen:chats=1,messages=1,files=0,forum=0,comments=0,users=${USERS}`,
  basePort: 0,
});
const site = await startSite();
const bot = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--unstable-kv", join(ROOT, "main.ts"), "--json", "bot", "--rate-limit", `${RATE}/min`],
  env: {
    ...tg.env,
    TGPIPE_KV: join(work, "kv.sqlite"),
    TGPIPE_BOT_TOKEN: FAKE_LOGIN.bot.token,
    // the child finds the same module cache although its HOME is a fresh folder
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno"),
    HOME: work,
    XDG_CONFIG_HOME: join(work, "config"),
    XDG_DATA_HOME: join(work, "data"),
    XDG_CACHE_HOME: join(work, "cache"),
  },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
const users: BotUserClient[] = [];
try {
  await _ready(bot.stdout);
  for (let i = 0; i < USERS; i++) users.push(await startUserAs(tg, 2000000n + BigInt(i)));
  const total = USERS * LINKS;
  let answered = 0;
  const rss: Record<string, number> = {};
  const t0 = performance.now();
  const results = await Promise.all(users.map(async (u, i) => {
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
      if (++answered === Math.ceil(total / 10)) rss.at10 = await _rss(bot.pid, "VmRSS");
    }
    const keyboard = botSays(/Pick a quality/, { edited: true });
    for (const id of looking) {
      await _patient(
        u,
        `user ${i}: keyboard of ${id}`,
        (x): x is Api.UpdateEditMessage => keyboard(x) && x.message.id === id,
      );
    }
    const admitted = looking.length;
    // a last message: the chat is answered in order, so a duplicate of an earlier reply would be here by now
    const last = await u.send("/help");
    await u.updates.next(`user ${i}: last`, botSays(/./, { replyTo: last }));
    const replies = u.updates.all.filter((x) =>
      x instanceof Api.UpdateNewMessage && x.message instanceof Api.Message
    )
      .map((x) =>
        ((x as Api.UpdateNewMessage).message as Api.Message).replyTo as Api.MessageReplyHeader | undefined
      )
      .map((h) => h?.replyToMsgId);
    const duplicates = ids.filter((id) => replies.filter((r) => r === id).length !== 1).length;
    // the limit is a sliding minute: replies spread over minutes (one a second per chat) admit more in all
    const inMinute = Math.max(
      0,
      ...admittedAt.map((t) => admittedAt.filter((x) => x >= t && x < t + 60).length),
    );
    return { admitted, duplicates, inMinute };
  }));
  rss.at100 = await _rss(bot.pid, "VmRSS");
  const peak = await _rss(bot.pid, "VmHWM");
  const elapsed = (performance.now() - t0) / 1000;
  bot.kill("SIGINT");
  const code = (await bot.status).code;
  console.log(JSON.stringify({
    users: USERS,
    links_per_user: LINKS,
    requests: total,
    answered,
    not_exactly_once: results.reduce((n, r) => n + r.duplicates, 0),
    admitted: results.reduce((n, r) => n + r.admitted, 0),
    max_admitted_per_user: Math.max(...results.map((r) => r.admitted)),
    // by the reply times: an approximation (a reply leaves when the per-chat pace lets it)
    max_admitted_per_user_in_60s: Math.max(...results.map((r) => r.inMinute)),
    rate_limit_per_minute: RATE,
    rss_mib_at_10pct: rss.at10,
    rss_mib_at_100pct: rss.at100,
    rss_ratio_100_to_10: Math.round(rss.at100 / rss.at10 * 100) / 100,
    peak_rss_mib: peak,
    elapsed_s: Math.round(elapsed),
    requests_per_s: Math.round(total / elapsed * 10) / 10,
    bot_exit_code: code,
    load: (await Deno.readTextFile("/proc/loadavg")).trim(),
  }));
} finally {
  try {
    bot.kill("SIGKILL");
  } catch { /* already ended */ }
  await bot.status;
  for (const u of users) await u.close();
  await site.close();
  await tg.close();
  await Deno.remove(work, { recursive: true });
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
      if (round >= 10) throw err;
    }
  }
}

async function _ready(stdout: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the bot ended before it was ready");
    buf += value;
    if (buf.includes('"bot_ready"')) break;
  }
  // keep draining its events so the pipe never fills
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
}

async function _rss(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}
