/**
 * `deno task demo`: starts the fake Telegram (tests/fakedc) on loopback with a generated world,
 * then runs tgpipe exactly as a user would: `chats`, then `export` of a channel into ./demo-out.
 * Needs nothing but Deno: no Telegram account, no ../shared data.
 */
import { startFakeTelegram } from "../tests/fakedc/cluster.ts";

const root = new URL("..", import.meta.url).pathname;
// `deno task` runs in the project root; INIT_CWD is where the user typed the command.
const out = Deno.args[0] ?? `${Deno.env.get("INIT_CWD") ?? Deno.cwd()}/demo-out`;
const home = await Deno.makeTempDir({ prefix: "tgpipe_demo_" });
const world = "gen:chats=3,messages=400,files=16,file_size=512KB,forum=1,topics=3,comments=1";
console.log(`starting the fake Telegram with ${world}`);
const tg = await startFakeTelegram({ world, seed: 7, basePort: 0 });
const channel = [...tg.world.chats.values()].find((c) => c.kind === "channel" && c.username && c.selfMember);
try {
  // A private progress store and config; HOME stays so Deno keeps its module cache.
  const env = { ...tg.env, XDG_DATA_HOME: `${home}/data`, XDG_CONFIG_HOME: `${home}/config` };
  await _tgpipe(["chats"], env);
  if (!channel) throw new Error("the generated world has no public channel");
  const code = await _tgpipe(
    ["export", `@${channel.username}`, "--out", out, "--media", "photo,voice,round,sticker,document"],
    env,
  );
  if (code === 0) {
    console.log(`\ndone: open ${out} (index.md, chats/<id>/notes/*.md, messages.jsonl, media/)`);
  }
  Deno.exitCode = code;
} finally {
  await tg.close();
  await Deno.remove(home, { recursive: true });
}

async function _tgpipe(args: string[], env: Record<string, string>): Promise<number> {
  console.log(`\n$ tgpipe ${args.join(" ")}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-kv", `${root}main.ts`, ...args],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}
