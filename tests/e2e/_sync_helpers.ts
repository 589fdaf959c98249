/** Helpers of the sync e2e tests: the channel's files, the remote's tree by sha256, the state message. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { FakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import type { TgpipeEvent } from "../../lib/progress/events.ts";
import { readEventLines } from "../_helpers/event_lines.ts";
import { spawnTgpipe } from "./_export_helpers.ts";

/** The channel of the generated worlds. */
export const CHAT = "@gen_channel_0";

/** The bytes of every document and photo of the channel, by message id. */
export async function channelBlobs(tg: FakeTelegram): Promise<Map<number, Uint8Array>> {
  const chat = [...tg.world.chats.values()].find((c) => c.username === "gen_channel_0")!;
  const out = new Map<number, Uint8Array>();
  for (const m of chat.messages) {
    const md = m.media;
    const blob = md?.kind === "document"
      ? md.doc.blob
      : md?.kind === "photo"
      ? md.photo.sizes.at(-1)!.blob
      : undefined;
    if (blob) out.set(m.id, await readBlob(blob, 0, blob.size));
  }
  return out;
}

/** sha256 of every file of the channel, by message id. */
export async function channelFiles(tg: FakeTelegram): Promise<Map<number, { size: number; sha: string }>> {
  const out = new Map<number, { size: number; sha: string }>();
  for (const [id, bytes] of await channelBlobs(tg)) {
    out.set(id, { size: bytes.length, sha: createHash("sha256").update(bytes).digest("hex") });
  }
  return out;
}

/** Every file under `root` (recursive), path -> sha256; .part files included so tests see them. */
export async function treeOf(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(p, r);
      else out.set(r, createHash("sha256").update(await Deno.readFile(p)).digest("hex"));
    }
  };
  await walk(root, "").catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
  return out;
}

/** Asserts the remote (template "{id}.bin") holds every file of the channel exactly once, byte-identical. */
export async function assertMirror(root: string, want: Map<number, { sha: string }>): Promise<void> {
  const tree = await treeOf(root);
  const names = [...tree.keys()].sort();
  assert.deepEqual(names, [...want.keys()].map((id) => `${id}.bin`).sort(), "remote files");
  for (const [id, w] of want) assert.equal(tree.get(`${id}.bin`), w.sha, `sha256 of ${id}.bin`);
}

/**
 * The JSON of the sync state message in the self user's Saved Messages (of `target` when given);
 * asserts there is one per target: edited in place, never posted again.
 */
export function stateMessage(tg: FakeTelegram, target?: string): Record<string, unknown> | undefined {
  const saved = tg.world.chats.get(`user:${tg.world.selfUserId}`);
  const all = (saved?.messages ?? []).filter((m) => m.text.startsWith("tgpipe_sync_"))
    .map((m) => JSON.parse(m.text.split("\n").slice(1).join("\n")) as Record<string, unknown>);
  const mine = target === undefined ? all : all.filter((s) => s.target === target);
  const targets = new Set(mine.map((s) => s.target));
  assert.equal(
    mine.length,
    targets.size,
    `one state message per target, edited in place (found ${mine.length})`,
  );
  return mine.at(-1);
}

/** A running CLI whose --json events go to `onEvent`; `done` resolves with the exit code. */
export function spawnSync(
  args: string[],
  env: Record<string, string>,
  onEvent?: (e: TgpipeEvent, child: Deno.ChildProcess) => void,
): {
  child: Deno.ChildProcess;
  done: () => Promise<{ code: number; events: TgpipeEvent[]; stderr: string }>;
} {
  const child = spawnTgpipe(args, env);
  const events: TgpipeEvent[] = [];
  const stderr = new Response(child.stderr).text();
  const read = readEventLines(child.stdout, (e) => {
    events.push(e);
    onEvent?.(e, child);
  });
  return {
    child,
    done: async () => {
      await read;
      return { code: (await child.status).code, events, stderr: await stderr };
    },
  };
}
