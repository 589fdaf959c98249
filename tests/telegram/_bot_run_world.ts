/**
 * A running `tgpipe bot` (runBot, in process) against the fake DC over real sockets, with the
 * loopback grab site and real yt-dlp/ffmpeg, and users as stock GramJS clients. Waits are on
 * observed updates (each with a step name a timeout reports), never on the clock.
 */
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { Api } from "telegram";
import { runBot, type RunBotOptions } from "../../lib/app/bot/run_bot.ts";
import { StoppedError } from "../../lib/core/errors.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import type { FakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { Inbox } from "./_bot_harness.ts";
import type { BotUserClient } from "./_bot_user.ts";

export { type BotUserClient, startUserAs } from "./_bot_user.ts";

/** A bot started with runBot; stop() aborts it and checks it ended as stopped (exit 75). */
export interface RunningBot {
  events: EventBody[];
  /** The same events, to wait for one. */
  inbox: Inbox<EventBody>;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the bot on `tg` with its data in `kv`; resolves once it answers messages. */
export async function startRunBot(
  tg: FakeTelegram,
  kv: string,
  opts: Partial<RunBotOptions> = {},
): Promise<RunningBot> {
  const events: EventBody[] = [];
  const inbox = new Inbox<EventBody>();
  const stop = new AbortController();
  const ready = Promise.withResolvers<void>();
  const run = runBot({
    account: {
      apiId: Number(tg.env.TGPIPE_API_ID),
      apiHash: tg.env.TGPIPE_API_HASH,
      endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
      sessionFile: "/nonexistent/session",
      sessionString: undefined,
      botToken: FAKE_LOGIN.bot.token,
      dataDir: join(kv, "..", "data"),
    },
    kv,
    searchPath: Deno.env.get("PATH") ?? "",
    cacheDir: join(kv, "..", "cache"),
    editIntervalMs: 100,
    broadcastPollMs: 100,
    ...opts,
    emit: (e) => {
      events.push(e);
      inbox.push(e);
      if (e.type === "bot_ready") ready.resolve();
    },
    signal: stop.signal,
  });
  const ended = run.then(
    () => new Error("the bot ended by itself"),
    (err) => err instanceof StoppedError ? undefined : err,
  );
  ended.then((err) => err && ready.reject(err));
  await ready.promise;
  return {
    events,
    inbox,
    ready: ready.promise,
    stop: async () => {
      stop.abort(new StoppedError("stopped by the test"));
      const err = await ended;
      if (err) throw err;
    },
  };
}

type Msg = Api.UpdateNewMessage & { message: Api.Message };

/** A new or edited message from the bot whose text matches `re` (optionally replying to `replyTo`). */
export function botSays(
  re: RegExp,
  opts: { edited?: boolean; replyTo?: number } = {},
): (u: Api.TypeUpdate) => u is Msg {
  return (u): u is Msg => {
    const cls = opts.edited ? Api.UpdateEditMessage : Api.UpdateNewMessage;
    if (!(u instanceof cls) || !(u.message instanceof Api.Message) || !re.test(u.message.message)) {
      return false;
    }
    if (opts.replyTo === undefined) return true;
    return (u.message.replyTo as Api.MessageReplyHeader | undefined)?.replyToMsgId === opts.replyTo;
  };
}

/** Every message (new, not edited) the user received from the bot so far. */
export function botMessages(user: BotUserClient): Api.Message[] {
  return user.updates.all.filter((u) => u instanceof Api.UpdateNewMessage && u.message instanceof Api.Message)
    .map((u) => (u as Api.UpdateNewMessage).message as Api.Message);
}

/** The buttons' callback data of a message's inline keyboard. */
export function buttonData(m: Api.Message): string[] {
  const markup = m.replyMarkup as Api.ReplyInlineMarkup | undefined;
  return (markup?.rows ?? []).flatMap((r) =>
    r.buttons.map((b) => Buffer.from((b as Api.KeyboardButtonCallback).data).toString())
  );
}
