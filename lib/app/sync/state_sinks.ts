/**
 * Where sync's state goes and comes back from: the progress store (kv), a message in the
 * account's Saved Messages edited in place (telegram; a fresh CI machine has only this), or both.
 * A save Telegram refuses goes to a local JSON file with a warning: a save never ends a run.
 */
import { dirname } from "node:path";
import { toTgpipeError } from "../../core/errors.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { TgClient } from "../../telegram/client.ts";
import { editStateMessage, findStateMessage, postStateMessage } from "../../telegram/state_message.ts";
import type { StateSink, SyncStateData } from "./sync_state.ts";

/** The places of one sync's state. */
export interface StatePlaces {
  /** The progress store and the key of this sync's state in it (--state kv|both). */
  kv?: { store: ProgressStore; key: string };
  /** The main account and the first line that tags the state message (--state telegram|both). */
  telegram?: { client: TgClient; tag: string };
  /** Where a save Telegram refused goes. */
  fallbackFile: string;
  emit: Emit;
  signal?: AbortSignal;
}

const KV_SHARD = "state";

/** The text of a state message: the tag line, then the JSON. */
export function stateText(tag: string, s: SyncStateData): string {
  return `${tag}\n${JSON.stringify(s)}`;
}

/** Reads a state message's JSON, or undefined when it is not one. */
export function parseStateText(tag: string, text: string): SyncStateData | undefined {
  const [first, ...rest] = text.split("\n");
  if (first !== tag) return undefined;
  try {
    const d = JSON.parse(rest.join("\n")) as SyncStateData;
    return d.v === 1 && Number.isInteger(d.watermark) ? d : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The saved state: the progress store's, and with `fromTelegram` (--resume) the state message's
 * when the store has none or an older one (the higher watermark wins).
 */
export async function loadState(p: StatePlaces, fromTelegram: boolean): Promise<SyncStateData | undefined> {
  const kv = p.kv
    ? await p.kv.store.getCursor(`sync-state:${p.kv.key}`, KV_SHARD) as SyncStateData | undefined
    : undefined;
  if (!fromTelegram || !p.telegram) return kv;
  const msg = await findStateMessage(p.telegram.client, p.telegram.tag, { signal: p.signal });
  const tg = msg ? parseStateText(p.telegram.tag, msg.text) : undefined;
  if (!tg) return kv;
  return !kv || tg.watermark > kv.watermark ? tg : kv;
}

/** The sink that saves to every place; failures become warnings and the local file. */
export function stateSink(p: StatePlaces): StateSink {
  let messageId: number | undefined;
  return async (s) => {
    if (p.kv) {
      try {
        await p.kv.store.setCursor(`sync-state:${p.kv.key}`, KV_SHARD, s);
        p.emit({ type: "state_saved", where: "kv", ...summary(s) });
      } catch (err) {
        await _fallback(p, s, "kv", err);
      }
    }
    if (!p.telegram) return;
    const { client, tag } = p.telegram;
    // a stop (Ctrl-C, --max-runtime) has aborted the run's signal, yet this save must still go out
    const signal = AbortSignal.timeout(30_000);
    try {
      messageId ??= (await findStateMessage(client, tag, { signal }))?.id;
      if (messageId === undefined) messageId = await postStateMessage(client, stateText(tag, s), { signal });
      else await editStateMessage(client, messageId, stateText(tag, s), { signal });
      p.emit({ type: "state_saved", where: "telegram", ...summary(s) });
    } catch (err) {
      await _fallback(p, s, "telegram", err);
    }
  };
}

/** The fields of a state_saved event. */
export function summary(s: SyncStateData): { watermark: number; files_uploaded: number; status: string } {
  return { watermark: s.watermark, files_uploaded: s.files_uploaded, status: s.status };
}

async function _fallback(p: StatePlaces, s: SyncStateData, where: string, err: unknown): Promise<void> {
  const why = toTgpipeError(err).message;
  try {
    await Deno.mkdir(dirname(p.fallbackFile), { recursive: true });
    const tmp = `${p.fallbackFile}.part`;
    await Deno.writeTextFile(tmp, JSON.stringify(s, null, 2) + "\n");
    await Deno.rename(tmp, p.fallbackFile);
    p.emit({
      type: "warning",
      code: "STATE_SAVE_FAILED",
      message: `Could not save the sync state to ${where} (${why}); saved it to ${p.fallbackFile}`,
    });
    p.emit({ type: "state_saved", where: "file", path: p.fallbackFile, ...summary(s) });
  } catch (err2) {
    p.emit({
      type: "warning",
      code: "STATE_SAVE_FAILED",
      message: `Could not save the sync state to ${where} (${why}) nor to ${p.fallbackFile} (${
        toTgpipeError(err2).message
      })`,
    });
  }
}
