/**
 * Where a run's files go: the pool's accounts, the chat as each account addresses it (resolved
 * once per account: each has its own access hash, and "me" is each one's own), and the limit on
 * parts in flight over all files. `upload` and `grab --to` send through one of these.
 */
import { UsageError } from "../../core/errors.ts";
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import { Limiter } from "../../engine/limiter.ts";
import type { Emit } from "../../progress/events.ts";
import { resolveChat } from "../../telegram/resolve_chat.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";

// parts in flight per account over all files (as download: 8 connections x 2 and headroom)
const PARTS_IN_FLIGHT = 48;

/** The chat a run sends to, with what every file's send shares (see module comment). */
export interface SendTarget {
  /** The chat as the user gave it (@name, link, id, me). */
  to: string;
  /** The accounts that send (after {@link SendTarget.prepare}: without the bots when `to` is me). */
  readonly accounts: readonly TelegramAccount[];
  /**
   * Resolves the chat before anything is sent (NotFoundError, exit 2, for an unknown one). With
   * `me`, bots (they have no Saved Messages) stay out with a warning; a UsageError when only bots
   * are left.
   */
  prepare(emit: Emit): Promise<void>;
  /** The chat as `account` addresses it; NotFoundError (exit 2) for a chat it cannot see. */
  peerOf(account: TelegramAccount): Promise<string>;
  /** Parts in flight over every file of the run. */
  inFlight: Limiter;
  /** The accounts of the next file: a different free one first each time (files shared out). */
  nextAccounts(): TelegramAccount[];
}

/** The target `to` over `pool`'s accounts; nothing is asked of Telegram until peerOf. */
export function sendTarget(
  pool: AccountPool<TelegramAccount>,
  to: string,
  opts: { signal?: AbortSignal } = {},
): SendTarget {
  let accounts = pool.accounts;
  const peers = new Map<TelegramAccount, Promise<string>>();
  let next = 0;
  const peerOf = (a: TelegramAccount) => {
    let p = peers.get(a);
    if (!p) peers.set(a, p = resolveChat(a.client, to, { signal: opts.signal }).then((r) => r.peer));
    return p;
  };
  return {
    to,
    get accounts() {
      return accounts;
    },
    prepare: async (emit) => {
      accounts = await _senders(accounts, to, peerOf, emit);
    },
    peerOf,
    inFlight: new Limiter(PARTS_IN_FLIGHT * accounts.length),
    nextAccounts: () => ownFirst(accounts, next++),
  };
}

async function _senders(
  accounts: readonly TelegramAccount[],
  to: string,
  peerOf: (a: TelegramAccount) => Promise<string>,
  emit: Emit,
): Promise<readonly TelegramAccount[]> {
  if (to !== "me") {
    await peerOf(accounts[0]);
    return accounts;
  }
  const out: TelegramAccount[] = [];
  const bots: TelegramAccount[] = [];
  let refused: unknown;
  for (const a of accounts) {
    const ok = await peerOf(a).then(() => true, (err) => {
      if (!(err instanceof UsageError && err.data.bot_saved)) throw err;
      refused = err;
      return false;
    });
    (ok ? out : bots).push(a);
  }
  if (out.length === 0) throw refused;
  for (const a of bots) {
    emit({
      type: "warning",
      code: "BOT_NO_SAVED",
      message: `${a.label} takes no files: a bot has no Saved Messages (give --to a chat it may post in)`,
    });
  }
  return out;
}
