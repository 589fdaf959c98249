/** Helpers of the export e2e tests: read an output tree, spawn a killable export. */
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { tgpipeArgs } from "../_helpers/run_cli.ts";
import { readEventLines } from "../_helpers/event_lines.ts";

/** Every file under `dir` (relative path -> text), `.part` files included so leftovers show. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    for await (const e of Deno.readDir(`${dir}/${rel}`)) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(p);
      else out.set(p, await Deno.readTextFile(`${dir}/${p}`));
    }
  };
  await walk("");
  return out;
}

/** Paths whose content differs between two trees (missing on one side included). */
export function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const bad: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) bad.push(k);
  for (const k of b.keys()) if (!a.has(k)) bad.push(k);
  return bad.sort();
}

// Config and data of these children live in this test module's own directory, never in the
// machine's ~/.config/tgpipe or ~/.local/share/tgpipe, which every other run on it would share.
// (XDG_CACHE_HOME stays: Deno finds its module cache there.)
const OWN_XDG = Deno.makeTempDirSync({ prefix: "tgpipe_e2e_xdg_" });
globalThis.addEventListener("unload", () => Deno.removeSync(OWN_XDG, { recursive: true }));

/** XDG config and data dirs of this test module alone, for children spawned without runCli. */
export const ISOLATED_XDG = { XDG_CONFIG_HOME: `${OWN_XDG}/config`, XDG_DATA_HOME: `${OWN_XDG}/data` };

/** Starts `tgpipe ...args` as a child with the fake DC env; the caller waits or kills it. */
export function spawnTgpipe(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: tgpipeArgs(...args),
    env: { ...ISOLATED_XDG, ...env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs tgpipe to the end; returns exit code and output. */
export async function runTgpipe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await spawnTgpipe(args, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/**
 * Starts `tgpipe ...args` (give it `--json`) and hands each JSON event to `onEvent` as it comes, so
 * a test can act on observed progress (kill -9 at a point); `done` resolves with the exit code.
 */
export function spawnWithEvents(
  args: string[],
  env: Record<string, string>,
  onEvent?: (e: TgpipeEvent) => void,
): { child: Deno.ChildProcess; done: () => Promise<number> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: tgpipeArgs(...args),
    env: { ...ISOLATED_XDG, ...env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const read = readEventLines(child.stdout, (e) => onEvent?.(e));
  return { child, done: async () => ((await read), (await child.status).code) };
}
