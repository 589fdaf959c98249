/**
 * An upload followed by the message that uses it, repaired when Telegram says a part is missing
 * (FILE_PART_X_MISSING): a part this run sent is sent again; a part an earlier run sent (the
 * server let it expire) means the whole file starts over under a new file id.
 */
import { TelegramError } from "../core/errors.ts";
import { resendPart, type UploadedFile, uploadFile, type UploadFileOptions } from "./upload_file.ts";
import type { UploadLane } from "./upload_lane.ts";
import type { UploadSource } from "./upload_source.ts";

// single parts sent again before the whole file is: each costs a send round trip
const MAX_REPAIRS = 8;

/** What {@link uploadAndSend} did. */
export interface UploadAndSendResult<T> {
  file: UploadedFile;
  sent: T;
  /** Parts sent again after FILE_PART_X_MISSING, and whether the file started over. */
  repairs: number;
  restarted: boolean;
}

/** Uploads `source`, then calls `send` with the file; see the module comment. */
export async function uploadAndSend<T>(
  source: UploadSource,
  lanes: readonly UploadLane[],
  send: (file: UploadedFile) => Promise<T>,
  opts: UploadFileOptions,
): Promise<UploadAndSendResult<T>> {
  let file = await uploadFile(source, lanes, opts);
  let repairs = 0;
  let restarted = false;
  for (;;) {
    try {
      return { file, sent: await send(file), repairs, restarted };
    } catch (err) {
      const x = missingPart(err);
      if (x === undefined) throw err;
      const stale = file.resumed.has(x) || repairs >= MAX_REPAIRS || !source.seekable;
      if (stale && restarted) throw err;
      if (stale) {
        restarted = true;
        file = await uploadFile(source, lanes, { ...opts, fresh: true });
      } else {
        repairs++;
        await resendPart(source, file, lanes, x, {
          ...opts,
          signal: opts.signal ?? new AbortController().signal,
        });
      }
    }
  }
}

/** The X of a FILE_PART_X_MISSING answer, else undefined. */
export function missingPart(err: unknown): number | undefined {
  if (!(err instanceof TelegramError)) return undefined;
  const m = /^FILE_PART_(\d+)_MISSING$/.exec(err.rpcMessage);
  return m ? Number(m[1]) : undefined;
}
