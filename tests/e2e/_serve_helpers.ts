/**
 * `tgpipe serve` as a subprocess for e2e tests: started with --json, ready once its
 * `serve_listen` event names the URL, its events collected as they come, stopped with SIGINT
 * and awaited (never left running). A start that prints nothing for a long time fails, naming
 * the step.
 */
import { AssertionError } from "node:assert/strict";
import { readEventLines } from "../_helpers/event_lines.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { tgpipeArgs } from "../_helpers/run_cli.ts";

/** A running server. */
export interface ServeProcess {
  url: string;
  events: TgpipeEvent[];
  /** Resolves when an event matching `pred` has arrived (checked on each new line). */
  waitFor(pred: (e: TgpipeEvent) => boolean, step: string): Promise<TgpipeEvent>;
  /** SIGINT, then the exit status and output. */
  stop(): Promise<{ code: number; stderr: string }>;
}

let denoDir: Promise<string> | undefined;
const HANG_MS = 180_000;

/** Starts `tgpipe --json serve ...args` with `env` over a clean HOME in `dir`. */
export async function startServe(
  args: string[],
  env: Record<string, string>,
  dir: string,
): Promise<ServeProcess> {
  denoDir ??= Deno.env.get("DENO_DIR") ? Promise.resolve(Deno.env.get("DENO_DIR")!) : new Deno.Command(
    Deno.execPath(),
    { args: ["info", "--json"], stderr: "null" },
  ).output().then((o) => JSON.parse(new TextDecoder().decode(o.stdout)).denoDir as string);
  const child = new Deno.Command(Deno.execPath(), {
    args: tgpipeArgs("--json", "serve", ...args),
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: await denoDir,
      DENO_NO_UPDATE_CHECK: "1",
      HOME: dir,
      XDG_CONFIG_HOME: `${dir}/config`,
      XDG_DATA_HOME: `${dir}/data`,
      XDG_CACHE_HOME: `${dir}/cache`,
      XDG_STATE_HOME: `${dir}/state`,
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const events: TgpipeEvent[] = [];
  const waiters: Array<{ pred: (e: TgpipeEvent) => boolean; resolve: (e: TgpipeEvent) => void }> = [];
  let ended = false;
  const endWaiters: Array<() => void> = [];
  const stdout = (async () => {
    await readEventLines(child.stdout, (value) => {
      events.push(value);
      for (const w of [...waiters]) {
        if (w.pred(value)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(value);
        }
      }
    });
    ended = true;
    for (const f of endWaiters) f();
  })();
  const stderr = new Response(child.stderr).text();
  const waitFor = (pred: (e: TgpipeEvent) => boolean, step: string) => {
    const have = events.find(pred);
    if (have) return Promise.resolve(have);
    return new Promise<TgpipeEvent>((resolve, reject) => {
      // a hang guard that names the step, re-armed by every event: never a deadline for slow work
      let seen = events.length;
      const guard = setInterval(() => {
        if (events.length > seen) seen = events.length;
        else {
          clearInterval(guard);
          reject(
            new AssertionError({
              message: `serve printed nothing for ${HANG_MS} ms while waiting for ${step}`,
            }),
          );
        }
      }, HANG_MS);
      waiters.push({
        pred,
        resolve: (e) => {
          clearInterval(guard);
          resolve(e);
        },
      });
      // the process ending first fails at once
      const onEnd = async () => {
        clearInterval(guard);
        reject(new AssertionError({ message: `serve ended while waiting for ${step}\n${await stderr}` }));
      };
      if (ended) onEnd();
      else endWaiters.push(onEnd);
    });
  };
  let url: string;
  try {
    const listen = await waitFor((e) => e.type === "serve_listen", "serve_listen (the server starting)");
    url = (listen as Extract<TgpipeEvent, { type: "serve_listen" }>).url;
  } catch (err) {
    child.kill("SIGKILL");
    await child.status;
    await stdout.catch(() => {});
    throw err;
  }
  let stopped: Promise<{ code: number; stderr: string }> | undefined;
  return {
    url,
    events,
    waitFor,
    stop: () =>
      stopped ??= (async () => {
        try {
          child.kill("SIGINT");
        } catch { /* already gone */ }
        const { code } = await child.status;
        await stdout;
        return { code, stderr: await stderr };
      })(),
  };
}

/** The access event of the `n`-th request for `path` (in arrival order). */
export function accessOf(
  events: TgpipeEvent[],
  path: string,
): Array<Extract<TgpipeEvent, { type: "http_access" }>> {
  return events.filter((e): e is Extract<TgpipeEvent, { type: "http_access" }> =>
    e.type === "http_access" && e.path === path
  );
}
