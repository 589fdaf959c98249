/**
 * Test harness of the bot client: a fake Telegram, the bot (tgpipe's BotApi over the account
 * pool, logged in with the bot token) whose updates are collected as they come (the user is
 * _bot_user.ts). Waits are on observed updates,
 * each with a step name that a timeout reports.
 */
import { Api } from "telegram";
import type { BotApi, BotUpdate } from "../../lib/core/bot_types.ts";
import { type BotStateStore, type BotUpdateState, openBotApi } from "../../lib/telegram/bot_api.ts";
import { openAccountPool } from "../../lib/telegram/telegram_account_pool.ts";
import type { EventBody } from "../../lib/progress/events.ts";
import type { FakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";

/** Generous: a busy 2-core machine is slow, but a lost update never comes. */
const DEADLINE_MS = 60_000;

/** How long a wait sees nothing before it calls the inbox's `onIdle` (a client's re-sync). */
const IDLE_MS = 5_000;

/**
 * Items as they arrive; `next` waits for the first unconsumed one matching `pred`. `onIdle` runs
 * whenever a wait saw nothing for a while (a user client asks getDifference then, as real clients
 * do); it only adds items, so a wait never depends on it being timely.
 */
export class Inbox<T> {
  readonly all: T[] = [];
  #unread: T[] = [];
  #waiters = new Set<() => void>();

  constructor(readonly onIdle?: () => unknown) {}

  push(x: T): void {
    this.all.push(x);
    this.#unread.push(x);
    for (const w of this.#waiters) w();
  }

  /** The first unread item matching `pred` (consumed; GramJS may dispatch updates out of order). */
  async next<U extends T>(step: string, pred: (x: T) => x is U): Promise<U>;
  async next(step: string, pred?: (x: T) => boolean): Promise<T>;
  async next(step: string, pred: (x: T) => boolean = () => true): Promise<T> {
    const deadline = Date.now() + DEADLINE_MS;
    let idleAt = Date.now() + IDLE_MS;
    for (;;) {
      const i = this.#unread.findIndex(pred);
      if (i >= 0) return this.#unread.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`Timed out at step "${step}" (unread: ${this.#unread.map(_brief).join(", ")})`);
      }
      let wake!: () => void;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((r) => {
        wake = r;
        this.#waiters.add(wake);
        timer = setTimeout(r, this.onIdle ? Math.max(0, Math.min(left, idleAt - Date.now())) : left);
      });
      clearTimeout(timer);
      this.#waiters.delete(wake);
      if (this.onIdle && Date.now() >= idleAt) {
        idleAt = Date.now() + IDLE_MS;
        void Promise.resolve(this.onIdle()).catch(() => {});
      }
    }
  }
}

// deno-lint-ignore no-explicit-any
function _brief(x: any): string {
  if (x?.kind) return `${x.kind}:${x.text ?? x.data}`;
  return `${x?.className}:${x?.message?.message ?? ""}`;
}

/** A state store in memory (lib/app keeps it in KV), counting saves. */
export function memoryStore(): BotStateStore & { state?: BotUpdateState; peers: Map<string, string> } {
  const peers = new Map<string, string>();
  const store = {
    state: undefined as BotUpdateState | undefined,
    peers,
    load: () => Promise.resolve(store.state && { ...store.state }),
    save: (s: BotUpdateState) => {
      store.state = { ...s };
      return Promise.resolve();
    },
    savePeer: (id: string, hash: string) => Promise.resolve(void peers.set(id, hash)),
    loadPeer: (id: string) => Promise.resolve(peers.get(id)),
  };
  return store;
}

/** A running bot: its BotApi, its updates so far, its events, and stop(). */
export interface RunningBot {
  api: BotApi;
  updates: Inbox<BotUpdate>;
  events: EventBody[];
  stop(): Promise<void>;
}

/** The account pool of the world's bot, logged in with its token. */
export function openBotPool(tg: FakeTelegram, emit: (e: EventBody) => void = () => {}) {
  return openAccountPool([{
    apiId: Number(tg.env.TGPIPE_API_ID),
    apiHash: tg.env.TGPIPE_API_HASH,
    endpoints: tg.env.TGPIPE_TELEGRAM_ENDPOINTS,
    botToken: FAKE_LOGIN.bot.token,
  }], { emit, connections: 2 });
}

/** Logs the bot in through the account pool and reads its updates until stop(). */
export async function startBot(tg: FakeTelegram, store: BotStateStore): Promise<RunningBot> {
  const events: EventBody[] = [];
  const pool = await openBotPool(tg, (e) => events.push(e));
  const api = await openBotApi({ account: pool.accounts[0], state: store, emit: (e) => events.push(e) });
  const updates = new Inbox<BotUpdate>();
  const stop = new AbortController();
  const reading = (async () => {
    for await (const u of api.updates(stop.signal)) updates.push(u);
  })();
  return {
    api,
    updates,
    events,
    stop: async () => {
      stop.abort();
      await reading;
      await pool.close();
    },
  };
}

/** The type guard of a user-side message update with this text (new or edited). */
export function userMessage(
  cls: typeof Api.UpdateNewMessage | typeof Api.UpdateEditMessage,
  text: string,
): (u: Api.TypeUpdate) => u is Api.UpdateNewMessage {
  return (u): u is Api.UpdateNewMessage =>
    u instanceof cls && u.message instanceof Api.Message && u.message.message === text;
}
