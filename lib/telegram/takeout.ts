/**
 * Takeout sessions: account.initTakeoutSession opens one (exports then run under lower flood
 * limits), every call is wrapped in invokeWithTakeout, finishTakeoutSession closes it.
 * TAKEOUT_INIT_DELAY_X means the user must approve the export in another Telegram app first.
 */
import bigInt from "big-integer";
import { Api } from "telegram";
import { StoppedError, TelegramError } from "../core/errors.ts";
import type { TgClient } from "./client.ts";

/** What the takeout is for; each flag widens what Telegram lets the session read. */
export interface TakeoutScope {
  contacts?: boolean;
  users?: boolean;
  chats?: boolean;
  megagroups?: boolean;
  channels?: boolean;
  files?: boolean;
  /** Largest file the session may download, bytes. */
  maxFileSize?: number;
}

/**
 * Opens a takeout session and returns its id (decimal string).
 *
 * @throws {StoppedError} (exit 75) on TAKEOUT_INIT_DELAY_X, with `data.seconds`: approve the
 *   export request in another Telegram app, then run the same command again
 */
export async function initTakeout(client: TgClient, scope: TakeoutScope = {}): Promise<string> {
  try {
    const t = await client.call<Api.account.Takeout>(
      new Api.account.InitTakeoutSession({
        contacts: scope.contacts,
        messageUsers: scope.users ?? true,
        messageChats: scope.chats ?? true,
        messageMegagroups: scope.megagroups ?? true,
        messageChannels: scope.channels ?? true,
        files: scope.files,
        // files and file_max_size share one flag bit: setting one without the other breaks the request
        fileMaxSize: scope.files ? bigInt(scope.maxFileSize ?? 4000 * 1024 * 1024) : undefined,
      }),
    );
    return t.id.toString();
  } catch (err) {
    const m = err instanceof TelegramError ? /^TAKEOUT_INIT_DELAY_(\d+)$/.exec(err.rpcMessage) : null;
    if (!m) throw err;
    const seconds = Number(m[1]);
    const e = new StoppedError(
      `Telegram asks you to approve this data export in another Telegram app (Settings > Privacy); ` +
        `approve it, then run the same command again (Telegram lets it start in ${seconds} s)`,
      "takeout_init_delay",
    );
    (e.data as Record<string, unknown>).seconds = seconds;
    throw e;
  }
}

/** Wraps a request in invokeWithTakeout when a takeout id is given. */
export function withTakeout(request: object, takeoutId: string | undefined): object {
  if (takeoutId === undefined) return request;
  // deno-lint-ignore no-explicit-any
  return new Api.InvokeWithTakeout({ takeoutId: bigInt(takeoutId), query: request as any });
}

/**
 * Finishes a takeout session; failures are ignored (the session expires on its own). It runs
 * under its own short deadline, so it still goes out after a run was stopped with Ctrl-C.
 */
export async function finishTakeout(client: TgClient, takeoutId: string, success: boolean): Promise<void> {
  try {
    await client.call(withTakeout(new Api.account.FinishTakeoutSession({ success }), takeoutId), {
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    // a session Telegram already dropped needs no finishing
  }
}

/** messages.getSplitRanges: the id ranges private chats and groups should be fetched in. */
export async function splitRanges(client: TgClient, takeoutId: string): Promise<Array<[number, number]>> {
  const list = await client.call<Api.TypeMessageRange[]>(
    withTakeout(new Api.messages.GetSplitRanges(), takeoutId),
  );
  return list.map((r) => [r.minId, r.maxId] as [number, number]).sort((a, b) => a[0] - b[0]);
}
