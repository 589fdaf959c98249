/**
 * Split files in a download (`upload --split` of a non-video, docs/upload.md "Split files"):
 * the manifest `X.tgsplit.json` and the pieces `X.001, X.002, ...` of one chat form a group;
 * when the last of them is downloaded, the original is put back from the pieces, checked
 * against the manifest's sha256, renamed into place, and the pieces and manifest removed. A
 * mismatch fails that item with the reason and keeps every piece. A rerun finds the original by
 * its record in the progress store and skips the group's messages.
 */
import { dirname, join } from "node:path";
import { TgpipeError } from "../../core/errors.ts";
import type { StepOutcome } from "../../engine/job_types.ts";
import { reassemble } from "../../engine/reassemble.ts";
import { parseManifest, SPLIT_MANIFEST_SUFFIX } from "../../engine/split_manifest.ts";
import type { Emit } from "../../progress/events.ts";
import type { ProgressStore } from "../../store/progress_store.ts";
import type { RemoteFile } from "../../telegram/remote_file.ts";

/** One planned file with its destination, as download plans it. */
export interface GroupMember {
  item: string;
  file: RemoteFile;
  dest?: string | RangeError;
}

interface _Group {
  /** Progress-store key of the original once it was put back. */
  key: string;
  manifest: GroupMember;
  members: GroupMember[];
  finished: Map<string, string>;
  joining: boolean;
}

/** What a group step needs from the run. */
export interface SplitGroupContext {
  out: string;
  store: ProgressStore;
  emit: Emit;
  signal?: AbortSignal;
}

const PIECE = /^(.+)\.(\d{3,})$/;

/** The split groups of a plan; `step` wraps each item's download step. */
export class SplitGroups {
  readonly #byItem = new Map<string, _Group>();

  /** Groups the planned files; files that belong to no manifest are left alone. */
  constructor(planned: GroupMember[]) {
    const manifests = planned.filter((p) => p.file.fileName?.endsWith(SPLIT_MANIFEST_SUFFIX));
    const groups = new Map<GroupMember, _Group>();
    for (const m of manifests) {
      const g: _Group = {
        key: `split:${m.file.key}`,
        manifest: m,
        members: [m],
        finished: new Map(),
        joining: false,
      };
      groups.set(m, g);
      this.#byItem.set(m.item, g);
    }
    for (const p of planned) {
      const base = p.file.fileName?.match(PIECE)?.[1];
      if (base === undefined || this.#byItem.has(p.item)) continue;
      const m = _manifestOf(p, manifests.filter((x) => _same(x, p, base)));
      if (!m) continue;
      groups.get(m)!.members.push(p);
      this.#byItem.set(p.item, groups.get(m)!);
    }
  }

  /** How many files of the plan belong to a split (for tests and logs). */
  get size(): number {
    return this.#byItem.size;
  }

  /**
   * Runs `download` for one item; when it completes its group, puts the original back (and
   * throws the group's SplitMismatchError from this item). Skips the item when an earlier run
   * already put its original back and the file is still there.
   */
  async step(
    p: GroupMember,
    c: SplitGroupContext,
    download: () => Promise<StepOutcome>,
  ): Promise<StepOutcome> {
    const g = this.#byItem.get(p.item);
    if (!g) return download();
    const done = await c.store.getCursor(_job(c.out), g.key) as { path: string; size: number } | undefined;
    if (done && await Deno.stat(done.path).then((s) => s.size === done.size, () => false)) {
      return { skipped: true, path: done.path, bytes: p.file.size, name: p.file.fileName };
    }
    const outcome = await download();
    if (outcome.path) g.finished.set(p.item, outcome.path);
    if (g.joining || g.members.some((m) => !g.finished.has(m.item))) return outcome;
    g.joining = true;
    try {
      await this.#join(g, c);
    } finally {
      g.joining = false;
    }
    return outcome;
  }

  async #join(g: _Group, c: SplitGroupContext): Promise<void> {
    const manifestPath = g.finished.get(g.manifest.item)!;
    let manifest;
    try {
      manifest = parseManifest(await Deno.readTextFile(manifestPath));
    } catch (err) {
      throw new TgpipeError(`Cannot read ${manifestPath}: ${(err as Error).message}; the pieces were kept`, {
        code: "SPLIT_MISMATCH",
        data: { manifest: manifestPath },
      });
    }
    // pieces by name, the later message winning when a piece was sent twice
    const pieces = new Map<string, string>();
    const byId = [...g.members].sort((a, b) => a.file.messageId - b.file.messageId);
    for (const m of byId) if (m !== g.manifest) pieces.set(m.file.fileName!, g.finished.get(m.item)!);
    const absent = manifest.pieces.filter((x) => !pieces.has(x.name)).map((x) => x.name);
    if (absent.length > 0) {
      // only part of the split was asked for: the files stay as they came, nothing is wrong
      c.emit({
        type: "warning",
        code: "SPLIT_INCOMPLETE",
        message: `${manifest.name} was not put back: ${absent.join(", ")} not in this download`,
        item: g.manifest.item,
      });
      return;
    }
    const dest = manifestPath.endsWith(SPLIT_MANIFEST_SUFFIX)
      ? manifestPath.slice(0, -SPLIT_MANIFEST_SUFFIX.length)
      : join(dirname(manifestPath), manifest.name);
    const r = await reassemble(manifest, pieces, dest, { signal: c.signal });
    await c.store.setCursor(_job(c.out), g.key, { path: r.path, size: r.bytes });
    // the original is in place and verified: the manifest has done its work too
    await Deno.remove(manifestPath).catch(() => {});
    c.emit({
      type: "log",
      level: "info",
      message:
        `Put ${manifest.name} back together from ${manifest.pieces.length} pieces (sha256 verified): ${r.path}`,
    });
  }
}

function _job(out: string): string {
  return `download-splits:${out}`;
}

function _same(m: GroupMember, p: GroupMember, base: string): boolean {
  return m.file.chatId === p.file.chatId && m.file.fileName === base + SPLIT_MANIFEST_SUFFIX;
}

/** The manifest a piece belongs to: the first one sent after it (pieces go first), else the last before. */
function _manifestOf(p: GroupMember, candidates: GroupMember[]): GroupMember | undefined {
  const after = candidates.filter((m) => m.file.messageId > p.file.messageId)
    .sort((a, b) => a.file.messageId - b.file.messageId);
  if (after.length > 0) return after[0];
  return candidates.sort((a, b) => b.file.messageId - a.file.messageId)[0];
}
