/**
 * An --album item: up to 10 files uploaded side by side, each turned into media by
 * messages.uploadMedia (where a missing part shows and is repaired), then sent together with
 * messages.sendMultiMedia. Telegram groups photos with videos, audio with audio and documents
 * with documents, so a file whose kind differs from the rest goes in its own group; a group of
 * one is a plain message.
 */
import type { StepOutcome } from "../../engine/job_types.ts";
import { uploadAndSend } from "../../engine/upload_and_send.ts";
import type { UploadedFile } from "../../engine/upload_file.ts";
import { sendAlbum, sendStored, type StoredMedia, storeMedia } from "../../telegram/send_uploaded.ts";
import type { MediaPlan } from "./media_attributes.ts";
import { pickAccount } from "./pick_account.ts";
import { itemCaption, type PreparedFile, prepareFile, type UploadItemContext } from "./prepare_file.ts";
import { openInput, type UploadInput } from "./upload_inputs.ts";

type _Member = UploadInput & { index: number };
interface _Ready {
  m: _Member;
  p: PreparedFile;
  file: UploadedFile;
  stored: StoredMedia;
}

/** Uploads and sends the files of one album (see module comment). */
export async function uploadAlbum(given: _Member[], c: UploadItemContext): Promise<StepOutcome> {
  const t0 = performance.now();
  let members = given;
  const prepared: PreparedFile[] = [];
  const recorded = new Set<string>();
  try {
    members = await Promise.all(given.map((m) => openInput(m, c.signal)));
    // one account for the whole album: the first whose limit takes every file (else each file's
    // own check says which is too big), or the one an earlier attempt recorded for the first file
    const fits = await pickAccount(c.accounts, members.map((m) => m.source.size), c.signal)
      .then((p) => p.account, () => c.accounts[0]);
    prepared.push(
      await prepareFile(members[0], { ...c, accounts: [fits, ...c.accounts.filter((a) => a !== fits)] }, {
        caption: itemCaption(members[0], c),
      }),
    );
    const account = prepared[0].account;
    const pinned = { ...c, accounts: [account] };
    for (const m of members.slice(1)) {
      prepared.push(await prepareFile(m, pinned, { caption: itemCaption(m, c) }));
    }
    const peer = await c.peerOf(account);
    const ready: _Ready[] = await Promise.all(members.map(async (m, i) => {
      const p = prepared[i];
      const store = (file: UploadedFile) =>
        storeMedia(account.client, peer, { ...p.media, file, thumb: p.thumb }, c.signal);
      const r = await uploadAndSend(m.source, p.lanes, store, p.parts);
      c.tally.sent_bytes += r.file.sentBytes;
      return { m, p, file: r.file, stored: r.sent };
    }));
    for (const group of _groups(ready)) {
      const list = await Promise.all(
        group.map(async (x) => ({ media: x.stored, caption: x.p.caption, randomId: await x.p.randomId() })),
      );
      const sent = list.length > 1
        ? await sendAlbum(account.client, peer, list, c.signal)
        : await sendStored(account.client, peer, list[0], c.signal);
      for (const [i, x] of group.entries()) {
        c.diag.record({
          item: x.m.id,
          name: x.m.source.name,
          source: x.m.source.origin,
          attempts: c.attempt,
          outcome: sent.duplicate ? "duplicate" : "done",
          bytes: x.file.size,
          ms: Math.round(performance.now() - t0),
          message_ids: sent.messageIds.slice(i, i + 1),
          resumed_parts: x.file.resumed.size,
        });
        recorded.add(x.m.id);
        // only now: Telegram confirmed the album (or had it already)
        if (c.deleteAfter && x.m.path) await Deno.remove(x.m.path);
      }
    }
    const bytes = ready.reduce((n, x) => n + x.file.size, 0);
    return { bytes, name: `${members.length} files`, path: members[0].source.origin };
  } catch (err) {
    for (const m of members.filter((x) => !recorded.has(x.id))) {
      const base = { item: m.id, name: m.source.name, source: m.source.origin, attempts: c.attempt };
      c.diag.failed({ ...base, bytes: 0, ms: Math.round(performance.now() - t0) }, err);
    }
    throw err;
  } finally {
    for (const p of prepared) await p.cleanup();
  }
}

/** The album class of a file as it will be sent: photos and videos, audio, or documents. */
export function albumClass(
  media: Pick<MediaPlan, "kind" | "video" | "audio">,
): "visual" | "audio" | "document" {
  if (media.kind === "photo" || media.video) return "visual";
  return media.audio ? "audio" : "document";
}

function _groups(ready: _Ready[]): _Ready[][] {
  const by = new Map<string, _Ready[]>();
  for (const x of ready) {
    const k = albumClass(x.p.media);
    by.set(k, [...by.get(k) ?? [], x]);
  }
  return [...by.values()];
}
