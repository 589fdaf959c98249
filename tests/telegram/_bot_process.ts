/**
 * `tgpipe bot` as its own process (main.ts, as a person runs it) against the fake DC: its `--json`
 * events are read as they come (so the pipe never fills) into an inbox a test waits on; stop()
 * sends Ctrl-C and returns the exit code; kill() is for `finally`.
 */
import { join } from "node:path";
import type { EventBody } from "../../lib/progress/events.ts";
import type { FakeTelegram } from "../fakedc/cluster.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import { step } from "../_helpers/chromium.ts";
import { tgpipeArgs } from "../_helpers/run_cli.ts";
import { Inbox } from "./_bot_harness.ts";

/** A running bot process. */
export interface BotProcess {
  pid: number;
  /** Every event it printed, to wait for one. */
  events: Inbox<EventBody>;
  /** Its bot_ready event (with admin_url when --admin-listen was given). */
  ready: Extract<EventBody, { type: "bot_ready" }>;
  /** Ctrl-C, then its exit code. */
  stop(): Promise<number>;
  /** Kills it if it still runs and waits for it (for `finally`). */
  kill(): Promise<void>;
}

/** Starts `tgpipe --json bot …args` with its store and home in `work`; resolves once it is ready. */
export async function spawnBot(tg: FakeTelegram, work: string, args: string[]): Promise<BotProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: tgpipeArgs("--json", "bot", ...args),
    env: {
      ...tg.env,
      TGPIPE_KV: join(work, "kv.sqlite"),
      TGPIPE_BOT_TOKEN: FAKE_LOGIN.bot.token,
      // the child finds the same module cache although its HOME is a fresh folder
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        join(Deno.env.get("XDG_CACHE_HOME") ?? join(Deno.env.get("HOME") ?? "/root", ".cache"), "deno"),
      HOME: work,
      XDG_CONFIG_HOME: join(work, "config"),
      XDG_DATA_HOME: join(work, "data"),
      XDG_CACHE_HOME: join(work, "cache"),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const events = new Inbox<EventBody>();
  const reading = _read(child.stdout, events);
  const kill = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already ended */ }
    await child.status;
    await reading;
  };
  try {
    const ready = await Promise.race([
      events.next("the bot's bot_ready event", (e) => e.type === "bot_ready"),
      child.status,
    ]);
    if ("success" in ready) throw new Error(`the bot ended before it was ready (exit ${ready.code})`);
    return {
      pid: child.pid,
      events,
      ready: ready as BotProcess["ready"],
      stop: async () => {
        child.kill("SIGINT");
        const { code } = await step("the bot stopping after Ctrl-C", child.status);
        await reading;
        return code;
      },
      kill,
    };
  } catch (err) {
    await kill();
    throw err;
  }
}

async function _read(stdout: ReadableStream<Uint8Array>, events: Inbox<EventBody>): Promise<void> {
  let buf = "";
  for await (const chunk of stdout.pipeThrough(new TextDecoderStream())) {
    const lines = (buf += chunk).split("\n");
    buf = lines.pop()!;
    for (const l of lines) if (l.trim()) events.push(JSON.parse(l));
  }
}
