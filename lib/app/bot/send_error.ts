import { FloodWaitError, LoginRequiredError, StoppedError, TelegramError } from "../../core/errors.ts";

/** What a failed send means for a broadcast. */
export type SendFailure =
  /** Wait this long, then send again (FLOOD_WAIT_X). */
  | { kind: "flood"; seconds: number }
  /** The user blocked the bot: record it, never retry. */
  | { kind: "blocked" }
  /** This user cannot get it (deleted account, unknown peer...): count it, go on. */
  | { kind: "failed"; message: string }
  /** Stop the whole broadcast (login gone, stopping, a bug): rethrow. */
  | { kind: "fatal" };

const BLOCKED = new Set(["USER_IS_BLOCKED", "USER_BLOCKED"]);
const PER_USER =
  /^(INPUT_USER_DEACTIVATED|USER_DEACTIVATED|PEER_ID_INVALID|CHAT_WRITE_FORBIDDEN|USER_IS_BOT|MEDIA_EMPTY|MESSAGE_TOO_LONG)/;

/** Classifies an error thrown by a BotApi send for the broadcast sender. */
export function classifySendError(err: unknown): SendFailure {
  if (err instanceof FloodWaitError) return { kind: "flood", seconds: err.seconds };
  if (err instanceof StoppedError || err instanceof LoginRequiredError) return { kind: "fatal" };
  if (err instanceof TelegramError) {
    const flood = /^FLOOD_(?:PREMIUM_)?WAIT_(\d+)$/.exec(err.rpcMessage);
    if (flood) return { kind: "flood", seconds: Number(flood[1]) };
    if (BLOCKED.has(err.rpcMessage)) return { kind: "blocked" };
    if (PER_USER.test(err.rpcMessage) || err.rpcCode === 400 || err.rpcCode === 403) {
      return { kind: "failed", message: err.message };
    }
  }
  return { kind: "fatal" };
}
