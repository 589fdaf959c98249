/** Helpers of the proxy e2e tests (SOCKS5/HTTP and MTProxy): one fake DC and the commands run through a proxy. */
import assert from "node:assert/strict";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { runCli, type RunCliOptions } from "../_helpers/run_cli.ts";

/** One channel with 300 messages and 6 files of 200 KB: enough for export workers and file DCs. */
const WORLD = "gen:chats=1,messages=300,files=6,file_size=200KB,forum=0,comments=0,left=0";

/** Runs `fn` with a fake DC holding a channel with files and a temp dir; closes and removes both after. */
export async function withProxiedDc(
  prefix: string,
  fn: (tg: FakeTelegram, dir: string) => Promise<void>,
): Promise<void> {
  const tg = await startFakeTelegram({ world: WORLD, basePort: 0 });
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(tg, dir);
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs whoami, a 4-shard export (photos) and a download of the channel with `flags` and `opts`, into
 * `${dir}/${name}-x` and `${dir}/${name}-d`; asserts each exits 0 and that the download wrote files.
 */
export async function runThroughProxy(
  dir: string,
  name: string,
  flags: string[],
  opts: RunCliOptions,
): Promise<void> {
  const who = await runCli([...flags, "--json", "whoami"], opts);
  assert.equal(who.code, 0, who.stderr);
  const exp = await runCli(
    [...flags, "export", "@gen_channel_0", "--out", `${dir}/${name}-x`, "--shards", "4", "--media", "photo"],
    opts,
  );
  assert.equal(exp.code, 0, exp.stderr);
  const dl = await runCli([...flags, "download", "@gen_channel_0", "--out", `${dir}/${name}-d`], opts);
  assert.equal(dl.code, 0, dl.stderr);
  assert.ok([...Deno.readDirSync(`${dir}/${name}-d`)].length > 0, "downloaded through the proxy");
}
