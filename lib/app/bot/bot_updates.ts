/**
 * The update loop: each message and button press of the bot, handled once. Messages of one chat
 * get their first answer in order, chats in parallel (a few at once); the slow part (yt-dlp
 * reading a link, recognition) runs in the task pool, and presses are answered at once. Every
 * message goes through the policy first.
 */
import type { BotMedia, BotUpdate } from "../../core/bot_types.ts";
import type { BotContext } from "./bot_context.ts";
import { handleCallback } from "./bot_callback.ts";
import { COMMAND_REPLIES, runCommand } from "./bot_commands.ts";
import { handleLink } from "./bot_link.ts";
import { handleRecognition, isRecognisable } from "./bot_recognize.ts";
import { type BotRequest, parseBotText } from "./bot_text.ts";
import { checkRequest, type RequestCheck } from "./check_request.ts";

type Message = Extract<BotUpdate, { kind: "message" }>;

/** Updates waiting or being answered at once (a bound on memory, not on chats). */
const PENDING_MAX = 1000;

/**
 * Reads the updates until the bot stops, then waits for the handlers in flight. A message's
 * policy check (and rate-limit slot) is taken when it arrives, in order per chat; its answers then
 * follow in order, as fast as Telegram lets the bot write to that chat (about one a second).
 */
export async function updateLoop(ctx: BotContext): Promise<void> {
  const chains = new Map<string, Promise<void>>();
  const checks = new Map<string, Promise<unknown>>();
  const inflight = new Set<Promise<void>>();
  for await (const u of ctx.api.updates(ctx.signal)) {
    while (inflight.size >= PENDING_MAX) await Promise.race(inflight);
    let p: Promise<void>;
    if (u.kind === "callback") p = handleUpdate(ctx, u);
    else {
      const checked = (checks.get(u.chat_id) ?? Promise.resolve()).then(() => checkMessage(ctx, u));
      const settled = checked.catch(() => {});
      checks.set(u.chat_id, settled);
      settled.then(() => checks.get(u.chat_id) === settled && checks.delete(u.chat_id));
      p = (chains.get(u.chat_id) ?? Promise.resolve()).then(() => handleUpdate(ctx, u, checked));
      chains.set(u.chat_id, p);
    }
    inflight.add(p);
    p.finally(() => {
      inflight.delete(p);
      if (chains.get(u.chat_id) === p) chains.delete(u.chat_id);
    });
  }
  await Promise.allSettled(inflight);
  await ctx.tasks.idle();
}

/** What a message asks for and the policy's answer, decided when it arrives. */
export interface CheckedMessage {
  req: BotRequest;
  media?: BotMedia;
  check: RequestCheck;
}

/** Parses a message and runs the policy on it (records the user, takes a rate-limit slot). */
export async function checkMessage(ctx: BotContext, m: Message): Promise<CheckedMessage> {
  const req = parseBotText(m.text, ctx.api.me.username);
  const media = m.media && isRecognisable(m.media) ? m.media : undefined;
  const admin = ctx.admins.has(m.from.id);
  const check = await checkRequest(ctx.store, m.from, { admin, counts: req.kind === "link" || !!media });
  return { req, media, check };
}

/** Handles one update; a failure is a warning (the bot goes on), a stop ends it quietly. */
export async function handleUpdate(
  ctx: BotContext,
  u: BotUpdate,
  checked?: Promise<CheckedMessage>,
): Promise<void> {
  try {
    if (u.kind === "callback") await handleCallback(ctx, u);
    else await handleMessage(ctx, u, await (checked ?? checkMessage(ctx, u)));
  } catch (err) {
    if (ctx.signal.aborted) return;
    ctx.emit({
      type: "warning",
      code: "BOT_UPDATE_FAILED",
      message: `${u.kind} from ${u.from.id}: ${(err as Error).message ?? err}`,
    });
  }
}

// a task's failure is a warning, like the loop's
async function _quiet(ctx: BotContext, m: Message, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (err) {
    if (ctx.signal.aborted) return;
    ctx.emit({
      type: "warning",
      code: "BOT_UPDATE_FAILED",
      message: `message from ${m.from.id}: ${(err as Error).message ?? err}`,
    });
  }
}

/** A message: policy, then a command, a link, a file to recognise, or a hint. */
export async function handleMessage(ctx: BotContext, m: Message, checked: CheckedMessage): Promise<void> {
  const { req, media, check } = checked;
  const reply = (text: string) => ctx.api.sendText(m.chat_id, text, { reply_to: m.message_id });
  if (check.admission.kind !== "serve") {
    if ("reply" in check.admission && check.admission.reply) await reply(check.admission.reply);
    return;
  }
  if (media) return ctx.tasks.spawn(() => _quiet(ctx, m, () => handleRecognition(ctx, m, media)));
  switch (req.kind) {
    case "command":
      return await runCommand(ctx, m, req.command);
    case "link": {
      const read = await handleLink(ctx, m, req.url, check);
      return ctx.tasks.spawn(() => _quiet(ctx, m, read));
    }
    case "unknown_command":
      return void await reply(COMMAND_REPLIES.unknown(req.command));
    case "text":
      return void await reply(COMMAND_REPLIES.text);
  }
}
