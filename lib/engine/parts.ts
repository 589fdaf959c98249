/**
 * Cuts a file into upload.getFile requests that obey Telegram's rules: offset divisible by 4 KiB,
 * limit divisible by 4 KiB and dividing 1 MiB, and no request crossing a 1 MiB boundary.
 */

/** Telegram's largest getFile limit and the boundary no request may cross. */
export const MIB = 1 << 20;
const KIB4 = 4096;

/** One getFile request: part index, byte offset and limit. */
export interface PartPlan {
  index: number;
  offset: number;
  limit: number;
}

/** Plans the parts of a file of `size` bytes with parts of `partSize` (a power of two, 4 KiB..1 MiB). */
export function planParts(size: number, opts: { partSize?: number } = {}): PartPlan[] {
  const partSize = opts.partSize ?? MIB;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid file size ${size}`);
  if (!isValidLimit(partSize)) {
    throw new RangeError(`Part size ${partSize} must be 4 KiB..1 MiB and divide 1 MiB`);
  }
  const parts: PartPlan[] = [];
  for (let offset = 0, index = 0; offset < size; offset += partSize, index++) {
    // The last part asks for the smallest valid limit that covers the rest: fewer wasted bytes.
    parts.push({ index, offset, limit: offset + partSize > size ? smallestLimit(size - offset) : partSize });
  }
  return parts;
}

/** Whether Telegram accepts `limit` for upload.getFile. */
export function isValidLimit(limit: number): boolean {
  return Number.isInteger(limit) && limit >= KIB4 && limit <= MIB && limit % KIB4 === 0 && MIB % limit === 0;
}

/** Whether a request (offset, limit) obeys every getFile rule. */
export function isValidRequest(offset: number, limit: number): boolean {
  return offset % KIB4 === 0 && isValidLimit(limit) &&
    Math.floor(offset / MIB) === Math.floor((offset + limit - 1) / MIB);
}

/** The smallest valid limit (a power of two >= 4 KiB) that covers `bytes`. */
export function smallestLimit(bytes: number): number {
  let limit = KIB4;
  while (limit < bytes && limit < MIB) limit *= 2;
  return limit;
}
