/**
 * Where a run's files go: the pool's accounts, the chat as each account addresses it (resolved
 * once per account: each has its own access hash, and "me" is each one's own), and the limit on
 * parts in flight over all files. `upload` and `grab --to` send through one of these.
 */
import { type AccountPool, ownFirst } from "../../engine/account_pool.ts";
import { Limiter } from "../../engine/limiter.ts";
import { resolveChat } from "../../telegram/resolve_chat.ts";
import type { TelegramAccount } from "../../telegram/telegram_account_pool.ts";

// parts in flight per account over all files (as download: 8 connections x 2 and headroom)
const PARTS_IN_FLIGHT = 48;

/** The chat a run sends to, with what every file's send shares (see module comment). */
export interface SendTarget {
  /** The chat as the user gave it (@name, link, id, me). */
  to: string;
  readonly accounts: readonly TelegramAccount[];
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
  const accounts = pool.accounts;
  const peers = new Map<TelegramAccount, Promise<string>>();
  let next = 0;
  return {
    to,
    accounts,
    peerOf: (a) => {
      let p = peers.get(a);
      if (!p) peers.set(a, p = resolveChat(a.client, to, { signal: opts.signal }).then((r) => r.peer));
      return p;
    },
    inFlight: new Limiter(PARTS_IN_FLIGHT * accounts.length),
    nextAccounts: () => ownFirst(accounts, next++),
  };
}
