import { TgpipeError } from "../../core/errors.ts";
import type { BotStore } from "../../store/bot/bot_store.ts";
import type { SettingsPatch } from "../../store/bot/settings_repo.ts";

/** Where to send the browser after a form, or a refusal to show (bad input). */
export type ActionOutcome = { redirect: string } | { status: number; message: string };

const MiB = 1024 * 1024;

/** Applies one admin form (already authenticated and CSRF-checked). */
export async function runAdminAction(
  store: BotStore,
  path: string,
  form: FormData,
): Promise<ActionOutcome | undefined> {
  try {
    const m = /^\/users\/(\d+)\/(ban|premium)$/.exec(path);
    if (m) {
      const on = form.get("on") === "1";
      if (m[2] === "ban") await store.users.setBanned(m[1], on);
      else await store.users.setPremium(m[1], on);
      const ok = m[2] === "ban" ? (on ? "banned" : "unbanned") : (on ? "premium" : "unpremium");
      return { redirect: `/users?q=${m[1]}&ok=${ok}` };
    }
    if (path === "/settings") {
      await store.settings.update(_settingsPatch(form));
      return { redirect: "/settings?ok=settings" };
    }
    const cancel = /^\/broadcasts\/([\w-]+)\/cancel$/.exec(path);
    if (cancel) {
      const b = await store.broadcasts.setStatus(cancel[1], "cancelled", ["queued", "sending"]);
      return { redirect: b.status === "cancelled" ? "/broadcasts?ok=cancelled" : "/broadcasts" };
    }
    if (path === "/broadcasts") {
      await _queueBroadcast(store, form);
      return { redirect: "/broadcasts?ok=broadcast" };
    }
    return undefined;
  } catch (err) {
    if (err instanceof RangeError || (err instanceof TgpipeError && err.exitCode === 2)) {
      return { status: 400, message: err.message };
    }
    throw err;
  }
}

function _settingsPatch(form: FormData): SettingsPatch {
  const int = (name: string) => {
    const v = String(form.get(name) ?? "").trim();
    if (!/^\d+$/.test(v)) throw new RangeError(`${name.replaceAll("_", " ")} must be a whole number`);
    return Number(v);
  };
  const maintenance = String(form.get("maintenance_message") ?? "").trim();
  return {
    enabled: form.get("enabled") === "1",
    rate_limit_per_minute: int("rate_limit_per_minute"),
    premium_rate_limit_per_minute: int("premium_rate_limit_per_minute"),
    max_file_size: int("max_file_size_mib") * MiB,
    premium_max_file_size: int("premium_max_file_size_mib") * MiB,
    maintenance_message: maintenance === "" ? null : maintenance,
  };
}

async function _queueBroadcast(store: BotStore, form: FormData): Promise<void> {
  const text = String(form.get("text") ?? "").trim() || undefined;
  const path = String(form.get("media_path") ?? "").trim();
  let media_path: string | undefined;
  if (path) {
    const st = await Deno.stat(path).catch(() => undefined);
    if (!st?.isFile) throw new RangeError(`${path} is not a file on the bot's machine`);
    media_path = await Deno.realPath(path);
  }
  await store.broadcasts.create({ text, media_path, by: "admin page" });
}
