/**
 * The one way a file goes to a chat, for `upload` and `grab --to`: prepared for its account (the
 * limit checked, how it goes, its thumbnail uploaded, its random_id recorded before the send),
 * uploaded over the account's lane (resumable through the job's checkpoint, repaired on a
 * missing part), then sent; a send Telegram had taken before comes back as `duplicate`.
 */
import { uploadAndSend } from "../../engine/upload_and_send.ts";
import type { UploadedFile } from "../../engine/upload_file.ts";
import { type SendOutcome, sendUploaded } from "../../telegram/send_uploaded.ts";
import { prepareFile, type SendAs, type SendContext } from "./prepare_file.ts";
import type { UploadInput } from "./upload_inputs.ts";

export type { SendAs, SendContext } from "./prepare_file.ts";

/** What {@link sendFile} did: the file as uploaded (size, bytes sent now, resumed parts) and the send. */
export interface SentFile {
  file: UploadedFile;
  sent: SendOutcome;
}

/**
 * Sends `input` (opened: see openInput) to the context's chat; its progress goes to `c.emit` as
 * item_progress of `input.id`.
 *
 * @throws the problem of the file (too big for the account, a part Telegram refused, ...)
 */
export async function sendFile(
  input: UploadInput & { index: number },
  c: SendContext,
  how: SendAs,
): Promise<SentFile> {
  const p = await prepareFile(input, c, how);
  try {
    const peer = await c.peerOf(p.account);
    const send = async (file: UploadedFile) => {
      const randomId = await p.randomId();
      const m = { ...p.media, file, caption: p.caption, randomId, thumb: p.thumb };
      return await sendUploaded(p.account.client, peer, m, c.signal);
    };
    const r = await uploadAndSend(input.source, p.lanes, send, p.parts);
    return { file: r.file, sent: r.sent };
  } finally {
    await p.cleanup();
  }
}
