/** Helpers of the upload e2e tests: the fake DC, input files, and what arrived in a chat of the fake DC. */
import { createHash } from "node:crypto";
import { type FakeTelegram, startFakeTelegram } from "../fakedc/cluster.ts";
import { readBlob } from "../fakedc/world/blob.ts";
import type { WBlob, WMessage, World } from "../fakedc/world/types.ts";

/** The fake DC and temp dir of one upload test; `env` is the DC's with the KV store in that dir. */
export interface UploadDc {
  tg: FakeTelegram;
  dir: string;
  env: Record<string, string>;
}

/** Runs `fn` with a fake DC of `world` (and `faults`) and a temp dir named `prefix…`; closes and removes both after. */
export async function withUploadDc(
  opts: { world: string; faults?: string; prefix: string },
  fn: (u: UploadDc) => Promise<void>,
): Promise<void> {
  const tg = await startFakeTelegram({ world: opts.world, basePort: 0, faults: opts.faults });
  const dir = await Deno.makeTempDir({ prefix: opts.prefix });
  try {
    await fn({ tg, dir, env: { ...tg.env, TGPIPE_KV: `${dir}/p.kv` } });
  } finally {
    await tg.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** `n` pseudo-random bytes, the same for the same seed. */
export function seededBytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Writes `n` pseudo-random bytes (seeded) to `path`; returns their sha256. */
export async function writeRandom(path: string, n: number, seed: number): Promise<string> {
  const b = seededBytes(n, seed);
  await Deno.writeFile(path, b);
  return sha256(b);
}

/** Hex sha256. */
export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** One message with a file, as the fake DC holds it. */
export interface Arrived {
  msg: WMessage;
  name: string;
  sha256: string;
  kind: "photo" | "document";
}

/** The files that arrived in the self user's Saved Messages (or `chatKey`), in message order. */
export async function arrived(world: World, chatKey = `user:${world.selfUserId}`): Promise<Arrived[]> {
  const chat = world.chats.get(chatKey);
  const out: Arrived[] = [];
  for (const m of chat?.messages ?? []) {
    const md = m.media;
    let blob: WBlob | undefined, name = "", kind: "photo" | "document" = "document";
    if (md?.kind === "document") {
      blob = md.doc.blob;
      name = md.doc.attrs.fileName ?? "";
    } else if (md?.kind === "photo") {
      blob = md.photo.sizes.at(-1)!.blob;
      kind = "photo";
    }
    if (blob) out.push({ msg: m, name, kind, sha256: sha256(await readBlob(blob, 0, blob.size)) });
  }
  return out;
}
