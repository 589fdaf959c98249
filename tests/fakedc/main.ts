/**
 * Standalone fake Telegram for demos and benchmarks:
 *   deno task fakedc --world <dir|gen:SPEC> [--port N] [--faults SPEC] [--seed N] [--host H]
 * The first stdout line is one JSON object {"dcs", "env", "world"}; it then serves until
 * SIGINT/SIGTERM. Logs go to stderr.
 */
import { Command, CommanderError, InvalidArgumentError } from "@commander-js/extra-typings";
import { startFakeTelegram } from "./cluster.ts";
import { parseFaults } from "./faults.ts";

function _int(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function _faults(v: string): string {
  try {
    parseFaults(v);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
  return v;
}

/** Parses argv, starts the cluster, prints the JSON line and serves until a signal. */
export async function main(args: string[]): Promise<number> {
  const program = new Command()
    .name("fakedc")
    .description("A fake Telegram (3 MTProto DCs on loopback) serving a world")
    .requiredOption("--world <spec>", "Telegram Desktop export directory or gen:SPEC")
    .option(
      "--port <n>",
      "base port: DC 2, DC 1 and DC 4 use n, n+1, n+2 (0 = ephemeral)",
      _int("--port", 0, 65533),
      0,
    )
    .option("--faults <spec>", "fault spec, e.g. rtt=30,bw=8M,flood=0.05", _faults, "")
    .option("--seed <n>", "seed of the world and of every fault", _int("--seed", 0, 2 ** 31 - 1), 1)
    .option("--host <host>", "IPv4 address to bind", "127.0.0.1")
    .option("--trace", "log every RPC to stderr")
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: (s) => console.log(s.trimEnd()) });
  let o;
  try {
    o = program.parse(args, { from: "user" }).opts();
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help
      console.error(`fakedc: ${e.message.replace(/^error: /, "")}`);
      return 2;
    }
    throw e;
  }
  const log = (line: string) => console.error(`[fakedc] ${line}`);
  let tg;
  try {
    tg = await startFakeTelegram({
      world: o.world,
      faults: o.faults,
      seed: o.seed,
      host: o.host,
      basePort: o.port,
      log,
      trace: o.trace ?? false,
    });
  } catch (e) {
    console.error(`fakedc: ${e instanceof Error ? e.message : e}`);
    return e instanceof RangeError || e instanceof TypeError || e instanceof Deno.errors.NotFound ? 2 : 1;
  }
  const w = tg.world;
  const summary = {
    selfUserId: String(w.selfUserId),
    users: w.users?.size ?? 0,
    chats: w.chats?.size ?? 0,
    files: w.files?.size ?? 0,
  };
  // Listen before announcing: whoever reads the first line may signal at once.
  const stop = Promise.withResolvers<string>();
  const onSignal = (sig: Deno.Signal) => () => stop.resolve(sig);
  const handlers = (["SIGINT", "SIGTERM"] as const).map((s) => [s, onSignal(s)] as const);
  for (const [s, h] of handlers) Deno.addSignalListener(s, h);
  // The env carries the session string on purpose: it is how other processes log in.
  console.log(JSON.stringify({ dcs: tg.dcs, env: tg.env, world: summary }));
  const sig = await stop.promise;
  for (const [s, h] of handlers) Deno.removeSignalListener(s, h);
  log(`${sig}: shutting down`);
  await tg.close();
  if (tg.unimplemented.size) {
    log(`methods not implemented in the fake DC: ${[...tg.unimplemented].join(", ")}`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
