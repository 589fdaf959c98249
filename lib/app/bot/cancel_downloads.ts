/** /cancel: stops the user's queued and running downloads. */
import type { BotContext } from "./bot_context.ts";

/** Cancels every download of `user_id` still queued or running; resolves to how many. */
export async function cancelDownloads(ctx: BotContext, user_id: string): Promise<number> {
  let n = 0;
  for (const [id, a] of [...ctx.active]) {
    if (a.user_id !== user_id) continue;
    n++;
    // a queued one never starts; a running one's step sees the abort and records the cancel
    if (ctx.queue.remove((i) => i.download_id === id)) {
      ctx.active.delete(id);
      await ctx.store.downloads.update(id, { status: "failed", error: "cancelled by the user" });
      await ctx.api.editText(a.item.chat_id, a.item.message_id, `${a.item.title}\nCancelled.`, {
        buttons: [],
      })
        .catch(() => {});
    } else {
      a.abort.abort(new DOMException("cancelled by the user", "AbortError"));
    }
  }
  return n;
}
