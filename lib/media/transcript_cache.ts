import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Transcript } from "./subtitles.ts";
import { writeViaPart } from "./write_part.ts";

/**
 * Transcripts cached by the media's content hash under `<cacheDir>/transcripts`, so the same
 * voice note is never transcribed twice, across runs and chats. The model and language are part
 * of the key: a better model gives a new transcript.
 */
export class TranscriptCache {
  readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, "transcripts");
  }

  /** The cache key suffix for a model file and language. */
  static variant(model: { path: string; size: number }, language: string): string {
    const name = model.path.split(/[\\/]/).at(-1) ?? model.path;
    return createHash("sha256").update(`${name}|${model.size}|${language}`).digest("hex").slice(0, 12);
  }

  /** The cached transcript, or undefined when absent or unreadable (a bad entry is a miss). */
  async get(sha256: string, variant: string): Promise<Transcript | undefined> {
    try {
      const doc = JSON.parse(await Deno.readTextFile(this.#path(sha256, variant)));
      return Array.isArray(doc?.segments) && typeof doc.text === "string" ? doc as Transcript : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a transcript atomically (part file, then rename). */
  async put(sha256: string, variant: string, t: Transcript): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
    await writeViaPart(this.#path(sha256, variant), (part) => Deno.writeTextFile(part, JSON.stringify(t)));
  }

  #path(sha256: string, variant: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`Not a sha256: ${sha256}`);
    return join(this.dir, `${sha256}.${variant}.json`);
  }
}
