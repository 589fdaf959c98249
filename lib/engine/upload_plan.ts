/**
 * Telegram's rules for uploaded files: parts of equal size (a divisor of 512 KiB, a multiple of
 * 1 KiB) but the last, saveBigFilePart above 10 MiB, and at most the server's part count
 * (`upload_max_fileparts_default`, or `_premium` for a premium account), read from its config.
 */
import { TgpipeError } from "../core/errors.ts";

/** The largest part Telegram takes, and the size every part size must divide. */
export const MAX_UPLOAD_PART = 512 * 1024;
/** Files above this size go through saveBigFilePart (and carry no md5). */
export const SMALL_FILE_MAX = 10 * 1024 * 1024;
/** Telegram's part count limit when the server says nothing else (4000 x 512 KiB = 2000 MiB). */
export const DEFAULT_MAX_PARTS = 4000;

/** What the server allows this account (help.getAppConfig, the account's premium flag). */
export interface UploadLimits {
  /** Parts per file at most for this account. */
  maxParts: number;
}

/** How one file is cut. */
export interface UploadPlan {
  partSize: number;
  /** Parts in all; undefined while the size is unknown. */
  totalParts: number | undefined;
  /** saveBigFilePart (above 10 MiB, or of unknown size) instead of saveFilePart. */
  big: boolean;
}

/** The file is larger than this account may upload in one piece. */
export class TooBigError extends TgpipeError {
  constructor(size: number, limit: number) {
    super(`File of ${size} bytes is over the account's upload limit of ${limit} bytes (use --split)`, {
      code: "TOO_BIG",
      data: { size, limit },
    });
  }
}

/** Largest file size (bytes) the limits allow. */
export function maxUploadSize(limits: UploadLimits, partSize = MAX_UPLOAD_PART): number {
  return limits.maxParts * partSize;
}

/** Whether Telegram accepts `n` as the size of every part but the last. */
export function isValidUploadPartSize(n: number): boolean {
  return Number.isInteger(n) && n >= 1024 && n % 1024 === 0 && MAX_UPLOAD_PART % n === 0;
}

/**
 * Plans the parts of a file of `size` bytes (undefined: not known yet, so big with a count given
 * at the last part). 512 KiB parts unless `partSize` says otherwise: the fewest round trips.
 * Throws TooBigError past the limit, RangeError for a part size Telegram refuses.
 */
export function planUpload(
  size: number | undefined,
  limits: UploadLimits,
  opts: { partSize?: number } = {},
): UploadPlan {
  const partSize = opts.partSize ?? MAX_UPLOAD_PART;
  if (!isValidUploadPartSize(partSize)) {
    throw new RangeError(`Upload part size ${partSize} must be a multiple of 1 KiB dividing 512 KiB`);
  }
  if (!Number.isInteger(limits.maxParts) || limits.maxParts < 1) {
    throw new RangeError(`Invalid upload part limit ${limits.maxParts}`);
  }
  if (size === undefined) return { partSize, totalParts: undefined, big: true };
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid file size ${size}`);
  if (size === 0) throw new TgpipeError("Telegram does not take empty files", { code: "EMPTY_FILE" });
  const totalParts = Math.ceil(size / partSize);
  if (totalParts > limits.maxParts) throw new TooBigError(size, maxUploadSize(limits, partSize));
  return { partSize, totalParts, big: size > SMALL_FILE_MAX };
}
