/**
 * The world of the serve e2e tests: a generated channel whose clip is a real MP4 made by ffmpeg,
 * a 5 MB document, a zero-length file, a round video on DC 4, and a second bot token. The fake
 * DC's RPC trace is counted by method, so tests see which calls the server made.
 */
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import { FAKE_LOGIN } from "../fakedc/world/login.ts";
import type { WDocument } from "../fakedc/world/types.ts";

export const SERVE_WORLD =
  "gen:chats=1,messages=20,files=8,big_files=1,big_size=5MB,forum=0,comments=0,left=0";
export const CHAT = "gen_channel_0";
/** The second bot's token (the world knows only the first one; the tests add it). */
export const BOT2 = { token: "654321:SECOND-TOKEN-tgpipe-fakedc", userId: 654321n };

/** A running world, its documents by role, and the calls clients made so far by method. */
export interface ServeWorld {
  tg: FakeTelegram;
  dir: string;
  big: { id: number; bytes: Uint8Array };
  clip: { id: number; bytes: Uint8Array };
  round: { id: number; bytes: Uint8Array; dcId: number };
  empty: { id: number };
  calls: Map<string, number>;
  /** Env for `tgpipe serve` with both bots and no user session. */
  botEnv: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the world (see module comment) in a fresh temp dir. */
export async function startServeWorld(
  opts: { faults?: string; clock?: () => number } = {},
): Promise<ServeWorld> {
  const dir = await Deno.makeTempDir({ prefix: "tgpipe_serve_" });
  const calls = new Map<string, number>();
  const tg = await startFakeTelegram({
    world: SERVE_WORLD,
    basePort: 0,
    faults: opts.faults,
    clock: opts.clock,
    trace: true,
    log: (line) => {
      const m = /^.*<- (?:.* > )?([A-Za-z.]+) \(layer/.exec(line);
      if (m) calls.set(m[1], (calls.get(m[1]) ?? 0) + 1);
    },
  });
  try {
    tg.world.botTokens.set(BOT2.token, BOT2.userId);
    const bot = tg.world.users.get(FAKE_LOGIN.bot.userId)!;
    tg.world.users.set(BOT2.userId, { ...bot, id: BOT2.userId, username: "tgpipe_second_bot" });
    const chat = [...tg.world.chats.values()].find((c) => c.username === CHAT)!;
    const docs = new Map<number, WDocument>();
    for (const m of chat.messages) if (m.media?.kind === "document") docs.set(m.id, m.media.doc);
    const [bigId] = [...docs].find(([, d]) => d.attrs.fileName === "big_0.mp4")!;
    const [clipId, clipDoc] = [...docs].find(([, d]) => d.attrs.fileName?.startsWith("clip_"))!;
    const [roundId, roundDoc] = [...docs].find(([, d]) => d.attrs.video?.round)!;
    const [emptyId, emptyDoc] = [...docs].find(([, d]) => d.mimeType === "image/webp")!;
    const mp4 = `${dir}/clip.mp4`;
    await _makeMp4(mp4);
    clipDoc.blob = {
      ...clipDoc.blob,
      size: (await Deno.stat(mp4)).size,
      source: { kind: "disk", path: mp4 },
    };
    emptyDoc.blob = { ...emptyDoc.blob, size: 0 };
    const read = async (d: WDocument) => await readBlob(d.blob, 0, d.blob.size);
    const { TGPIPE_SESSION: _, ...rest } = tg.env;
    return {
      tg,
      dir,
      calls,
      big: { id: bigId, bytes: await read(docs.get(bigId)!) },
      clip: { id: clipId, bytes: await read(clipDoc) },
      round: { id: roundId, bytes: await read(roundDoc), dcId: roundDoc.dcId },
      empty: { id: emptyId },
      botEnv: { ...rest, TGPIPE_BOT_TOKENS: `${FAKE_LOGIN.bot.token},${BOT2.token}` },
      close: async () => {
        await tg.close();
        await Deno.remove(dir, { recursive: true });
      },
    };
  } catch (err) {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
    throw err;
  }
}

// 20 s of 640x360 video with a keyframe every second and a tone: about 2 MB, several parts
async function _makeMp4(path: string): Promise<void> {
  const out = await new Deno.Command("ffmpeg", {
    args: [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=640x360:rate=25:duration=20",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=20",
      "-c:v",
      "libx264",
      "-b:v",
      "700k",
      "-g",
      "25",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-shortest",
      "-movflags",
      "+faststart",
      path,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`ffmpeg failed: ${new TextDecoder().decode(out.stderr)}`);
}
